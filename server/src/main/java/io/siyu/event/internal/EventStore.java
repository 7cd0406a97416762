package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.E;
import static io.siyu.event.internal.EventTables.H;

import io.siyu.event.EventLog;
import io.siyu.event.LoggedEvent;
import io.siyu.event.NewEvent;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The customer_event table behind {@link EventLog}. */
@Repository
class EventStore implements EventLog {

    private final DSLContext db;
    private final Wakeup wakeup;

    EventStore(DSLContext db, Wakeup wakeup) {
        this.db = db;
        this.wakeup = wakeup;
    }

    @Override
    public void append(List<NewEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        // one prepared statement, bound once per event
        var batch = db.batch(db.insertInto(E.T, E.CUSTOMER_ID, E.TYPE, E.NAME, E.MESSAGE_ID, E.SOURCE_KEY, E.OCCURRED_AT,
                E.RECEIVED_AT, E.SYSTEM, E.PROPERTIES, E.CONTEXT)
                .values((Long) null, null, null, null, null, null, null, null, null, null));
        for (NewEvent e : events) {
            batch = batch.bind(e.customerId(), e.type(), e.name(), e.messageId(), e.sourceKey(), e.occurredAt(),
                    e.receivedAt(), e.system(), e.properties(), e.context());
        }
        batch.execute();
        wakeAfterCommit();
    }

    @Override
    public void appendNumbered(List<NewEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        long head = db.update(H.T).set(H.LAST_OFFSET, H.LAST_OFFSET.plus(events.size())).where(H.ID.eq(1))
                .returningResult(H.LAST_OFFSET).fetchOne(H.LAST_OFFSET);
        long offset = head - events.size();
        var batch = db.batch(db.insertInto(E.T, E.OFFSET, E.CUSTOMER_ID, E.TYPE, E.NAME, E.MESSAGE_ID, E.SOURCE_KEY,
                        E.OCCURRED_AT, E.RECEIVED_AT, E.SYSTEM, E.PROPERTIES, E.CONTEXT)
                .values((Long) null, null, null, null, null, null, null, null, null, null, null));
        for (NewEvent e : events) {
            batch = batch.bind(++offset, e.customerId(), e.type(), e.name(), e.messageId(), e.sourceKey(), e.occurredAt(),
                    e.receivedAt(), e.system(), e.properties(), e.context());
        }
        batch.execute();
        wakeAfterCommit();
    }

    private void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wakeup.wake();
                }
            });
        } else {
            wakeup.wake();
        }
    }

    @Override
    public List<LoggedEvent> read(long afterOffset, int max) {
        return db.select(E.ALL).from(E.T).where(E.OFFSET.gt(afterOffset)).orderBy(E.OFFSET).limit(max)
                .fetch(EventStore::toEvent);
    }

    @Override
    public List<io.siyu.event.LogHead> readHeads(long afterOffset, int max) {
        return db.select(E.OFFSET, E.CUSTOMER_ID, E.TYPE, E.NAME, E.SYSTEM).from(E.T).where(E.OFFSET.gt(afterOffset))
                .orderBy(E.OFFSET).limit(max)
                .fetch(r -> new io.siyu.event.LogHead(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    @Override
    public long headOffset() {
        return db.select(H.LAST_OFFSET).from(H.T).where(H.ID.eq(1)).fetchOne(H.LAST_OFFSET);
    }

    @Override
    public long committedHead(java.time.Duration wait) throws InterruptedException {
        Long newest = db.select(org.jooq.impl.DSL.max(E.ID)).from(E.T).where(E.OFFSET.isNull()).fetchOne(0, Long.class);
        if (newest != null) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (db.fetchExists(db.selectOne().from(E.T).where(E.OFFSET.isNull()).and(E.ID.le(newest)))) {
                if (System.nanoTime() - deadline > 0) {
                    return -1;
                }
                wakeup.wake();
                Thread.sleep(10);
            }
        }
        return headOffset();
    }

    static LoggedEvent toEvent(Record r) {
        Long offset = r.get(E.OFFSET);
        return new LoggedEvent(offset == null ? -1 : offset, r.get(E.ID), r.get(E.CUSTOMER_ID), r.get(E.TYPE),
                r.get(E.NAME), r.get(E.MESSAGE_ID), r.get(E.OCCURRED_AT), r.get(E.RECEIVED_AT), r.get(E.SYSTEM),
                r.get(E.PROPERTIES), r.get(E.CONTEXT));
    }
}
