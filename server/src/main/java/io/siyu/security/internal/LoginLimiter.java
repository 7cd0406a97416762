package io.siyu.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts failed password logins per user name and per client address in token buckets that refill
 * over the configured window. While either bucket is empty, logins for that name or from that
 * address are refused before the password is checked, so guessing cannot continue even once the
 * right password comes up. Successful logins take nothing from the buckets.
 */
final class LoginLimiter {

    /** Longer names are cut: they cannot be real users, and must not grow the cache's memory. */
    private static final int MAX_KEY_LENGTH = 100;

    private final LoginLimitProperties limits;
    private final TimeMeter time;
    private final Cache<String, Bucket> byUsername;
    private final Cache<String, Bucket> byIp;

    LoginLimiter(LoginLimitProperties limits, TimeMeter time) {
        this.limits = limits;
        this.time = time;
        // A bucket untouched for a whole window is full again, so forgetting it then loses nothing.
        this.byUsername = Caffeine.newBuilder().maximumSize(limits.maxTracked())
                .expireAfterAccess(limits.window()).build();
        this.byIp = Caffeine.newBuilder().maximumSize(limits.maxTracked())
                .expireAfterAccess(limits.window()).build();
    }

    /** How long the caller must wait before trying again; empty when an attempt is allowed now. */
    Optional<Duration> blockedFor(String username, String ip) {
        long byName = username == null ? 0 : wait(byUsername.getIfPresent(usernameKey(username)));
        long byAddress = ip == null ? 0 : wait(byIp.getIfPresent(ip));
        long waitNanos = Math.max(byName, byAddress);
        return waitNanos > 0 ? Optional.of(Duration.ofNanos(waitNanos)) : Optional.empty();
    }

    void recordFailure(String username, String ip) {
        if (username != null) {
            byUsername.get(usernameKey(username), k -> bucket(limits.perUsername())).tryConsume(1);
        }
        if (ip != null) {
            byIp.get(ip, k -> bucket(limits.perIp())).tryConsume(1);
        }
    }

    private static long wait(Bucket bucket) {
        if (bucket == null || bucket.getAvailableTokens() >= 1) {
            return 0;
        }
        return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    private Bucket bucket(int capacity) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, limits.window()))
                .withCustomTimePrecision(time)
                .build();
    }

    private static String usernameKey(String username) {
        String key = username.strip().toLowerCase(Locale.ROOT);
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }
}
