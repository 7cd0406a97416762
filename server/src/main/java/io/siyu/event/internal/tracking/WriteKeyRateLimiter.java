package io.siyu.event.internal.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.OptionalLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Events per second per write key on the tracking API, as a token bucket: {@code
 * siyu.tracking.rate-limit.events-per-second} refilled continuously, up to {@code burst} at once. A
 * call takes one token per message (a batch as many as it holds, at most a full bucket, so that a
 * batch larger than the burst can still pass once the bucket is full). Per instance; 0 turns the
 * limit off. Senders inside the application (the demo loader) are not limited.
 */
@Component
class WriteKeyRateLimiter {

    private final long perSecond;
    private final long burst;
    private final Cache<Long, Bucket> buckets;

    WriteKeyRateLimiter(@Value("${siyu.tracking.rate-limit.events-per-second:0}") long perSecond,
            @Value("${siyu.tracking.rate-limit.burst:0}") long burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(burst, perSecond);
        // a bucket untouched for a minute is full again (burst <= 60 s of refill), so forgetting it loses nothing
        this.buckets = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(1)).build();
    }

    /** Takes {@code events} tokens of the key's bucket; empty when allowed, else how many nanoseconds to wait. */
    OptionalLong take(long writeKeyId, int events) {
        if (perSecond <= 0) {
            return OptionalLong.empty();
        }
        Bucket bucket = buckets.get(writeKeyId, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(Math.max(1, Math.min(events, burst)));
        return probe.isConsumed() ? OptionalLong.empty() : OptionalLong.of(Math.max(1, probe.getNanosToWaitForRefill()));
    }
}
