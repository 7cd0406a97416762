package io.siyu.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A write key sending faster than its limit gets 429 with Retry-After, nothing of the refused call is
 * stored, the refusal is counted, other keys are not affected, and the key may send again once its
 * bucket refilled.
 */
@TestPropertySource(properties = {"siyu.tracking.rate-limit.events-per-second=5",
    "siyu.tracking.rate-limit.burst=50"})
class TrackingRateLimitIT extends TrackingTest {

    @Autowired
    MeterRegistry meters;

    private static Map<String, Object> batchOf(int n, String user) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(Map.of("type", "track", "userId", user, "event", "Limited", "messageId", unique("m")));
        }
        return Map.of("batch", messages);
    }

    @Test
    void aKeyOverItsEventsPerSecondIsRefusedWithRetryAfter() throws Exception {
        var key = tracking(writeKey());
        String user = unique("u");
        double before = meters.counter("siyu.tracking.rejected", "code", "write-key-rate-limited").count();

        // the burst: 40 events pass at once, the next 40 do not fit in what is left
        assertThat(key.post("/v1/batch", batchOf(40, user)).status()).isEqualTo(200);
        var refused = key.post("/v1/batch", batchOf(40, user));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.str("/code")).isEqualTo("write-key-rate-limited");
        // 10 tokens left, 40 wanted, 5 a second: about 6 s (a slow first call leaves a little less)
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 6L);
        assertThat(meters.counter("siyu.tracking.rejected", "code", "write-key-rate-limited").count())
                .isEqualTo(before + 1);
        // a single call counts one event and still fits
        assertThat(key.post("/v1/track", Map.of("userId", user, "event", "Limited")).status()).isEqualTo(200);

        // another key has its own bucket
        var other = tracking(writeKey());
        assertThat(other.post("/v1/batch", batchOf(40, unique("u"))).status()).isEqualTo(200);

        String id = customerId("external_id", user);
        assertThat(events(id)).hasSize(41);

        // after the wait it names, the key may send again
        Thread.sleep(Long.parseLong(refused.header("Retry-After")) * 1000 + 200);
        assertThat(key.post("/v1/batch", batchOf(30, user)).status()).isEqualTo(200);
        assertThat(events(id)).hasSize(71);
    }
}
