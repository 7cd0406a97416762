package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.E;
import static io.siyu.event.internal.EventTables.O;

import io.siyu.customer.CustomerErased;
import io.siyu.customer.CustomersMerged;
import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.platform.BrandClock;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps history with the person: a merge moves the merged customer's events and orders to the
 * survivor and recomputes the survivor's aggregates; erasure strips event payloads (they may hold
 * personal data) but keeps the bare facts (what, when) for anonymous statistics. Runs inside the
 * merge's or erasure's transaction.
 */
@Component
class CustomerHistoryMover {

    private final DSLContext db;
    private final Aggregates aggregates;
    private final ConsumerRunner runner;
    private final EventLog eventLog;
    private final BrandClock clock;

    private final RecentLog recent;

    CustomerHistoryMover(DSLContext db, Aggregates aggregates, ConsumerRunner runner, EventLog eventLog,
            BrandClock clock, RecentLog recent) {
        this.recent = recent;
        this.db = db;
        this.aggregates = aggregates;
        this.runner = runner;
        this.eventLog = eventLog;
        this.clock = clock;
    }

    @EventListener
    void on(CustomersMerged merged) {
        // hold the aggregates consumer still, so the recount below and its next batch do not overlap
        runner.ensurePosition(AggregatesConsumer.NAME);
        long position = runner.lockPosition(AggregatesConsumer.NAME);
        // events kept in memory may still name the merged customer: the followers read the moved ones back
        recent.clear();
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            recent.clear();
                        }
                    });
        }
        db.update(E.T).set(E.CUSTOMER_ID, merged.survivorId()).where(E.CUSTOMER_ID.eq(merged.mergedId())).execute();
        db.update(O.T).set(O.CUSTOMER_ID, merged.survivorId()).where(O.CUSTOMER_ID.eq(merged.mergedId())).execute();
        aggregates.forget(merged.mergedId());
        aggregates.rebuild(List.of(merged.survivorId()), position);
        // the merge itself is part of the survivor's history: a derived, system event on the timeline
        eventLog.append(List.of(NewEvent.system(merged.survivorId(), "Customers Merged", clock.now(),
                "{\"mergedCustomerId\":\"" + merged.mergedId() + "\"}")));
    }

    @EventListener
    void on(CustomerErased erased) {
        db.update(E.T).set(E.PROPERTIES, (String) null).set(E.CONTEXT, (String) null)
                .where(E.CUSTOMER_ID.eq(erased.customerId())).execute();
    }
}
