package io.siyu.platform.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired idempotency records once a day, at night in the brand's time zone. Expired rows
 * are already ignored when a key comes back; this only keeps the table small.
 */
@Component
class IdempotencyCleanup {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyCleanup.class);

    private final IdempotencyLedger ledger;

    IdempotencyCleanup(IdempotencyLedger ledger) {
        this.ledger = ledger;
    }

    @Scheduled(cron = "${siyu.api.idempotency-cleanup-cron:0 40 3 * * *}", zone = "${siyu.time-zone:Asia/Shanghai}")
    void deleteExpired() {
        int deleted = ledger.deleteExpired();
        log.info("Deleted {} expired idempotency records", deleted);
    }
}
