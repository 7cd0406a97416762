package io.siyu.event.internal.tracking;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** event_dedupe: the message ids already stored, per write key. Fields are qualified for H2's MERGE. */
@Repository
class DedupeLedger {

    static final Table<Record> T = table(name("event_dedupe"));
    static final Field<Long> SOURCE_KEY = field(name("event_dedupe", "source_key"), Long.class);
    static final Field<String> MESSAGE_ID = field(name("event_dedupe", "message_id"), String.class);
    static final Field<OffsetDateTime> RECEIVED_AT = field(name("event_dedupe", "received_at"), OffsetDateTime.class);

    private final DSLContext db;

    DedupeLedger(DSLContext db) {
        this.db = db;
    }

    boolean seen(long sourceKey, String messageId) {
        return db.fetchExists(db.selectOne().from(T).where(SOURCE_KEY.eq(sourceKey)).and(MESSAGE_ID.eq(messageId)));
    }

    /** Claims the message id in the caller's transaction; false when it was already claimed. */
    boolean claim(long sourceKey, String messageId, OffsetDateTime receivedAt) {
        return db.insertInto(T).set(SOURCE_KEY, sourceKey).set(MESSAGE_ID, messageId).set(RECEIVED_AT, receivedAt)
                
                .onConflict(SOURCE_KEY, MESSAGE_ID).doNothing().execute() == 1;
    }

    /** Which of these message ids are already claimed (one query). */
    Set<String> seen(long sourceKey, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(db.select(MESSAGE_ID).from(T).where(SOURCE_KEY.eq(sourceKey)).and(MESSAGE_ID.in(messageIds))
                .fetch(MESSAGE_ID));
    }

    /**
     * Claims the message ids in the caller's transaction; returns those this call claimed (the
     * others were claimed before). Claims go in sorted order, so two batches claiming overlapping
     * ids wait for each other instead of deadlocking. PostgreSQL: one multi-row insert that returns
     * what it inserted; H2 (in-process, no round trips) has no ON CONFLICT, so one claim per id.
     */
    Set<String> claim(long sourceKey, Collection<String> messageIds, OffsetDateTime receivedAt) {
        List<String> sorted = messageIds.stream().sorted().toList();
        Set<String> claimed = new HashSet<>();
        if (sorted.isEmpty()) {
            return claimed;
        }
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            var insert = db.insertInto(T, SOURCE_KEY, MESSAGE_ID, RECEIVED_AT);
            var values = insert.values(sourceKey, sorted.getFirst(), receivedAt);
            for (String id : sorted.subList(1, sorted.size())) {
                values = values.values(sourceKey, id, receivedAt);
            }
            claimed.addAll(values.onConflictDoNothing().returningResult(MESSAGE_ID).fetch(MESSAGE_ID));
            return claimed;
        }
        for (String id : sorted) {
            if (claim(sourceKey, id, receivedAt)) {
                claimed.add(id);
            }
        }
        return claimed;
    }

    /** Gives claims of this transaction back (messages refused after their ids were claimed). */
    void release(long sourceKey, Collection<String> messageIds) {
        if (!messageIds.isEmpty()) {
            db.deleteFrom(T).where(SOURCE_KEY.eq(sourceKey)).and(MESSAGE_ID.in(messageIds)).execute();
        }
    }

    int deleteBefore(OffsetDateTime cutoff) {
        return db.deleteFrom(T).where(RECEIVED_AT.lt(cutoff)).execute();
    }
}
