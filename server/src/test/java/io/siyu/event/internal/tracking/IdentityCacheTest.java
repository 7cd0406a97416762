package io.siyu.event.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.CustomerErased;
import io.siyu.customer.CustomerIdentityRemoved;
import io.siyu.customer.IdentityInput;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityCacheTest {

    private final IdentityInput anon = IdentityInput.of("anonymous_id", "a-1");
    private final IdentityInput user = IdentityInput.of("external_id", "u-1");
    private final IdentityInput other = IdentityInput.of("anonymous_id", "b-1");

    @Test
    void answersOnlyWhenEveryIdentityPointsToOneCustomer() {
        IdentityCache cache = new IdentityCache(100, Duration.ofMinutes(10));
        cache.put(List.of(anon, user), 7);
        cache.put(List.of(other), 8);
        assertThat(cache.customerOf(List.of(anon, user))).hasValue(7);
        assertThat(cache.customerOf(List.of(anon, other))).isEmpty();
        assertThat(cache.customerOf(List.of(anon, IdentityInput.of("phone", "13800138000")))).isEmpty();
        assertThat(cache.customerOf(List.of())).isEmpty();
    }

    @Test
    void forgetsACustomerWhoseIdentityWasRemovedOrWhoWasErased() {
        IdentityCache cache = new IdentityCache(100, Duration.ofMinutes(10));
        cache.put(List.of(anon, user), 7);
        cache.put(List.of(other), 8);
        cache.on(new CustomerIdentityRemoved(7));
        assertThat(cache.customerOf(List.of(anon))).isEmpty();
        assertThat(cache.customerOf(List.of(other))).hasValue(8);
        cache.on(new CustomerErased(8));
        assertThat(cache.customerOf(List.of(other))).isEmpty();
    }
}
