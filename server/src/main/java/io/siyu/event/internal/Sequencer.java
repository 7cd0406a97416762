package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.E;
import static io.siyu.event.internal.EventTables.H;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands out log offsets in commit order. Ids come from the identity column when rows are inserted,
 * and a transaction holding a lower id may commit after one holding a higher id; a consumer reading
 * by id could then pass the lower one by. The sequencer only sees committed rows, numbers them under
 * a lock on the head row (one sequencer at a time across instances), so offsets only ever grow in
 * the order rows became visible.
 */
@Component
class Sequencer {

    static final int BATCH = 2000;

    private final DSLContext db;
    private final TransactionTemplate tx;

    Sequencer(DSLContext db, TransactionTemplate tx) {
        this.db = db;
        this.tx = tx;
    }

    /** Numbers up to one batch of committed, unnumbered events; returns how many. */
    int sequenceOnce() {
        // most rows arrive numbered (appendNumbered): look before taking the head, which writers hold briefly
        if (!db.fetchExists(db.selectOne().from(E.T).where(E.OFFSET.isNull()))) {
            return 0;
        }
        Integer n = tx.execute(status -> {
            long last = db.select(H.LAST_OFFSET).from(H.T).where(H.ID.eq(1)).forUpdate().fetchOne(H.LAST_OFFSET);
            // occurred_at too: on PostgreSQL it is the partition key, so each update touches one partition
            var rows = db.select(E.ID, E.OCCURRED_AT).from(E.T).where(E.OFFSET.isNull()).orderBy(E.ID).limit(BATCH).fetch();
            if (rows.isEmpty()) {
                return 0;
            }
            var batch = db.batch(db.update(E.T).set(E.OFFSET, (Long) null)
                    .where(E.ID.eq((Long) null)).and(E.OCCURRED_AT.eq((java.time.OffsetDateTime) null))
                    // found through the partial index of unnumbered rows (on PostgreSQL there is no other by id)
                    .and(E.OFFSET.isNull()));
            long offset = last;
            for (var row : rows) {
                batch = batch.bind(++offset, row.value1(), row.value2());
            }
            batch.execute();
            db.update(H.T).set(H.LAST_OFFSET, offset).where(H.ID.eq(1)).execute();
            return rows.size();
        });
        return n == null ? 0 : n;
    }
}
