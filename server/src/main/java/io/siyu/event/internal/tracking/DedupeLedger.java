package io.siyu.event.internal.tracking;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
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

    int deleteBefore(OffsetDateTime cutoff) {
        return db.deleteFrom(T).where(RECEIVED_AT.lt(cutoff)).execute();
    }
}
