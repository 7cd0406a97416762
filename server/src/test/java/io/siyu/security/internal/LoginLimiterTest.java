package io.siyu.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {

    /** A clock the test moves by hand. */
    private static final class ManualTime implements TimeMeter {
        long nanos = 1_000_000_000L;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advance(Duration d) {
            nanos += d.toNanos();
        }
    }

    private final ManualTime time = new ManualTime();
    private final LoginLimiter limiter = new LoginLimiter(
            new LoginLimitProperties(5, 20, Duration.ofMinutes(5), 1000), time);

    @Test
    void blocksAUsernameAfterItsFailuresAndTellsHowLongToWait() {
        for (int i = 0; i < 4; i++) {
            limiter.recordFailure("alice", "10.0.0." + i);
            assertThat(limiter.blockedFor("alice", "10.0.1.1")).isEmpty();
        }
        limiter.recordFailure("alice", "10.0.0.9");
        assertThat(limiter.blockedFor("alice", "10.0.1.1")).hasValueSatisfying(wait ->
                assertThat(wait).isGreaterThan(Duration.ofSeconds(55)).isLessThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(limiter.blockedFor("ALICE ", "10.0.1.1")).as("names compare ignoring case").isPresent();
        assertThat(limiter.blockedFor("bob", "10.0.1.1")).isEmpty();
    }

    @Test
    void theBucketRefillsOverTheWindow() {
        for (int i = 0; i < 5; i++) {
            limiter.recordFailure("carol", "10.0.0.1");
        }
        assertThat(limiter.blockedFor("carol", "10.0.0.2")).isPresent();
        time.advance(Duration.ofSeconds(30));
        assertThat(limiter.blockedFor("carol", "10.0.0.2")).hasValueSatisfying(wait ->
                assertThat(wait).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31)));
        time.advance(Duration.ofSeconds(31));
        assertThat(limiter.blockedFor("carol", "10.0.0.2")).isEmpty();
        limiter.recordFailure("carol", "10.0.0.1");
        assertThat(limiter.blockedFor("carol", "10.0.0.2")).as("one refilled attempt, used up again").isPresent();
    }

    @Test
    void blocksAnAddressThatTriesManyNames() {
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.blockedFor("user" + i, "192.0.2.7")).isEmpty();
            limiter.recordFailure("user" + i, "192.0.2.7");
        }
        assertThat(limiter.blockedFor("somebody-else", "192.0.2.7")).isPresent();
        assertThat(limiter.blockedFor("somebody-else", "192.0.2.8")).isEmpty();
    }

    @Test
    void nothingIsBlockedWithoutFailures() {
        assertThat(limiter.blockedFor("dave", "10.0.0.1")).isEmpty();
        assertThat(limiter.blockedFor(null, null)).isEmpty();
    }
}
