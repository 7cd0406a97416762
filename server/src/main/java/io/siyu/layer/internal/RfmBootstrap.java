package io.siyu.layer.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Scores RFM at start when it never ran (after demo data is loaded), so reports have data at once. */
@Component
@Order(20)
class RfmBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(RfmBootstrap.class);

    private final RfmService rfm;
    private final org.jooq.DSLContext db;

    RfmBootstrap(RfmService rfm, org.jooq.DSLContext db) {
        this.rfm = rfm;
        this.db = db;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        if (db.fetchExists(RfmService.RUN)) {
            return;
        }
        var summary = rfm.recompute();
        if (summary.customers() > 0) {
            log.info("RFM: scored {} customers with orders in the last {} days ({} ms)", summary.customers(),
                    summary.windowDays(), summary.millis());
        }
    }
}
