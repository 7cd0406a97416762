package io.siyu.event.internal.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.siyu.customer.CustomerErased;
import io.siyu.customer.IdentityInput;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Which customer an identity, as a sender spells it, was last resolved to: lets the tracking API
 * skip identity resolution for a message without traits whose identities all point to one customer,
 * and skip looking up the identities of one with traits (they are applied to that customer).
 * The customer is always checked with {@code Customers.resolveActiveIds} before use, so merges are
 * followed and erased customers are not used (the message is then resolved in full); entries of a
 * customer whose identity was removed by hand are dropped. Per instance: another instance may keep
 * such an entry until it expires ({@code siyu.tracking.identity-cache-ttl}, 10 minutes by default).
 * Bounded in size.
 */
@Component
class IdentityCache {

    private final Cache<IdentityInput, Long> cache;

    IdentityCache(@Value("${siyu.tracking.identity-cache-size:200000}") long size,
            @Value("${siyu.tracking.identity-cache-ttl:10m}") Duration ttl) {
        this.cache = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
    }

    /** The one customer all these identities were resolved to, if every one of them is cached. */
    OptionalLong customerOf(List<IdentityInput> identities) {
        if (identities.isEmpty()) {
            return OptionalLong.empty();
        }
        Long customer = null;
        for (IdentityInput identity : identities) {
            Long c = cache.getIfPresent(identity);
            if (c == null || (customer != null && !customer.equals(c))) {
                return OptionalLong.empty();
            }
            customer = c;
        }
        return OptionalLong.of(customer);
    }

    void put(List<IdentityInput> identities, long customerId) {
        for (IdentityInput identity : identities) {
            cache.put(identity, customerId);
        }
    }

    void forget(List<IdentityInput> identities) {
        cache.invalidateAll(identities);
    }

    /** After commit: an erased customer's identities are gone, so are its entries. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(CustomerErased erased) {
        forgetCustomer(erased.customerId());
    }

    /** After commit: an identity was taken off the customer, so what we remember of it may be wrong. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(io.siyu.customer.CustomerIdentityRemoved removed) {
        forgetCustomer(removed.customerId());
    }

    private void forgetCustomer(long customerId) {
        cache.asMap().values().removeIf(id -> id == customerId);
    }
}
