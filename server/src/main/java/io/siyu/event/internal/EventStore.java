package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.E;
import static io.siyu.event.internal.EventTables.H;

import io.siyu.event.EventLog;
import io.siyu.event.LoggedEvent;
import io.siyu.event.NewEvent;
import io.siyu.platform.ArrayStatement;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The customer_event table behind {@link EventLog}. */
@Repository
class EventStore implements EventLog {

    private final DSLContext db;
    private final Wakeup wakeup;
    private final RecentLog recent;

    EventStore(DSLContext db, Wakeup wakeup, RecentLog recent) {
        this.db = db;
        this.wakeup = wakeup;
        this.recent = recent;
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
        RecentLog.Recent[] run = new RecentLog.Recent[events.size()];
        for (int i = 0; i < run.length; i++) {
            NewEvent e = events.get(i);
            // stored as the database keeps them (microseconds), so memory and table agree to the day
            run[i] = new RecentLog.Recent(offset + 1 + i, e.customerId(), e.type(), e.name(), e.messageId(), e.system(),
                    e.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                    e.receivedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        }
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            insertAsArrays(events, run);
        } else {
            var batch = db.batch(db.insertInto(E.T, E.OFFSET, E.CUSTOMER_ID, E.TYPE, E.NAME, E.MESSAGE_ID, E.SOURCE_KEY,
                            E.OCCURRED_AT, E.RECEIVED_AT, E.SYSTEM, E.PROPERTIES, E.CONTEXT)
                    .values((Long) null, null, null, null, null, null, null, null, null, null, null));
            for (int i = 0; i < run.length; i++) {
                NewEvent e = events.get(i);
                batch = batch.bind(run[i].offset(), e.customerId(), e.type(), e.name(), e.messageId(), e.sourceKey(),
                        run[i].occurredAt(), run[i].receivedAt(), e.system(), e.properties(), e.context());
            }
            batch.execute();
        }
        afterCommit(() -> {
            recent.add(run);
            wakeup.wake();
        });
    }

    /** PostgreSQL: the numbered events as one statement over column arrays ({@link ArrayStatement}). */
    private void insertAsArrays(List<NewEvent> events, RecentLog.Recent[] run) {
        ArrayStatement rows = ArrayStatement.rows("bigint", "bigint", "varchar", "varchar", "varchar", "bigint", "varchar",
                "varchar", "boolean", "varchar", "varchar");
        for (int i = 0; i < run.length; i++) {
            NewEvent e = events.get(i);
            rows.add(run[i].offset(), e.customerId(), e.type(), e.name(), e.messageId(), e.sourceKey(),
                    run[i].occurredAt(), run[i].receivedAt(), e.system(), e.properties(), e.context());
        }
        rows.execute(db, INSERT_ARRAYS);
    }

    private static final String INSERT_ARRAYS = """
            insert into customer_event (log_offset, customer_id, event_type, name, message_id, source_key, occurred_at,
                received_at, is_system, properties, context)
            select o, c, t, n, m, k, oa::timestamptz, ra::timestamptz, s, p, x
            from unnest(?::bigint[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[],
                ?::varchar[], ?::boolean[], ?::varchar[], ?::varchar[]) as r(o, c, t, n, m, k, oa, ra, s, p, x)
            """;

    private void wakeAfterCommit() {
        afterCommit(wakeup::wake);
    }

    /** Runs {@code action} once the caller's transaction committed (at once without one). */
    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }

    @Override
    public List<LoggedEvent> read(long afterOffset, int max) {
        if (nothingAfter(afterOffset)) {
            return List.of();
        }
        return db.select(E.ALL).from(E.T).where(E.OFFSET.gt(afterOffset)).orderBy(E.OFFSET).limit(max)
                .fetch(EventStore::toEvent);
    }

    /**
     * As {@link #read}, with properties and context left out (null); events this instance committed
     * lately come from memory ({@link RecentLog}), and then without their row id (0).
     */
    public List<LoggedEvent> readWithoutPayload(long afterOffset, int max) {
        List<RecentLog.Recent> kept = recent.after(afterOffset, max);
        if (!kept.isEmpty()) {
            return kept.stream().map(r -> new LoggedEvent(r.offset(), 0, r.customerId(), r.type(), r.name(),
                    r.messageId(), r.occurredAt(), r.receivedAt(), r.system(), null, null)).toList();
        }
        if (nothingAfter(afterOffset)) {
            return List.of();
        }
        return db.select(E.OFFSET, E.ID, E.CUSTOMER_ID, E.TYPE, E.NAME, E.MESSAGE_ID, E.OCCURRED_AT, E.RECEIVED_AT, E.SYSTEM)
                .from(E.T).where(E.OFFSET.gt(afterOffset)).orderBy(E.OFFSET).limit(max)
                .fetch(r -> new LoggedEvent(r.get(E.OFFSET), r.get(E.ID), r.get(E.CUSTOMER_ID), r.get(E.TYPE),
                        r.get(E.NAME), r.get(E.MESSAGE_ID), r.get(E.OCCURRED_AT), r.get(E.RECEIVED_AT),
                        r.get(E.SYSTEM), null, null));
    }

    @Override
    public List<io.siyu.event.LogHead> readHeads(long afterOffset, int max) {
        List<RecentLog.Recent> kept = recent.after(afterOffset, max);
        if (!kept.isEmpty()) {
            return kept.stream().map(r -> new io.siyu.event.LogHead(r.offset(), r.customerId(), r.type(), r.name(),
                    r.system(), r.occurredAt())).toList();
        }
        if (nothingAfter(afterOffset)) {
            return List.of();
        }
        return db.select(E.OFFSET, E.CUSTOMER_ID, E.TYPE, E.NAME, E.SYSTEM, E.OCCURRED_AT).from(E.T)
                .where(E.OFFSET.gt(afterOffset)).orderBy(E.OFFSET).limit(max)
                .fetch(r -> new io.siyu.event.LogHead(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6()));
    }

    /**
     * Whether no committed event has an offset after {@code afterOffset}: every offset is handed out by
     * raising the head row in the transaction that stores the event, so the committed head is the
     * highest committed offset. One primary-key read instead of a look at every partition's offsets,
     * which a reader at the head (the usual case when it has just caught up) would otherwise pay on
     * every wake-up.
     */
    private boolean nothingAfter(long afterOffset) {
        return headOffset() <= afterOffset;
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
