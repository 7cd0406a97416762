package io.siyu.event.internal.tracking;

import io.siyu.platform.BrandClock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets message ids older than {@code siyu.tracking.dedupe-window} (8 days by default: clients
 * retry for at most a few days, and Segment itself promises deduplication over 7) once a day, at
 * night in the brand's time zone.
 */
@Component
class DedupeCleanup {

    private static final Logger log = LoggerFactory.getLogger(DedupeCleanup.class);

    private final DedupeLedger ledger;
    private final BrandClock clock;
    private final Duration window;

    DedupeCleanup(DedupeLedger ledger, BrandClock clock, @Value("${siyu.tracking.dedupe-window:8d}") Duration window) {
        if (window.compareTo(Duration.ofDays(7)) < 0) {
            throw new IllegalStateException("siyu.tracking.dedupe-window must be at least 7 days, was " + window);
        }
        this.ledger = ledger;
        this.clock = clock;
        this.window = window;
    }

    @Scheduled(cron = "${siyu.tracking.dedupe-cleanup-cron:0 50 3 * * *}", zone = "${siyu.time-zone:Asia/Shanghai}")
    void deleteExpired() {
        int deleted = ledger.deleteBefore(clock.now().minus(window));
        log.info("Forgot {} tracking message ids older than {}", deleted, window);
    }
}
