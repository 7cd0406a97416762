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
        List<org.jooq.Query> inserts = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            inserts.add(db.insertInto(E.T)
                    .set(E.CUSTOMER_ID, e.customerId()).set(E.TYPE, e.type()).set(E.NAME, e.name())
                    .set(E.MESSAGE_ID, e.messageId()).set(E.SOURCE_KEY, e.sourceKey())
                    .set(E.OCCURRED_AT, e.occurredAt()).set(E.RECEIVED_AT, e.receivedAt()).set(E.SYSTEM, e.system())
                    .set(E.PROPERTIES, e.properties()).set(E.CONTEXT, e.context()));
        }
        if (inserts.size() == 1) {
            inserts.getFirst().execute();
        } else {
            db.batch(inserts).execute();
        }
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
    public long headOffset() {
        return db.select(H.LAST_OFFSET).from(H.T).where(H.ID.eq(1)).fetchOne(H.LAST_OFFSET);
    }

    static LoggedEvent toEvent(Record r) {
        Long offset = r.get(E.OFFSET);
        return new LoggedEvent(offset == null ? -1 : offset, r.get(E.ID), r.get(E.CUSTOMER_ID), r.get(E.TYPE),
                r.get(E.NAME), r.get(E.MESSAGE_ID), r.get(E.OCCURRED_AT), r.get(E.RECEIVED_AT), r.get(E.SYSTEM),
                r.get(E.PROPERTIES), r.get(E.CONTEXT));
    }
}
