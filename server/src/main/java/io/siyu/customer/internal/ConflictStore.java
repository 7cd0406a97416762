package io.siyu.customer.internal;

import static io.siyu.customer.internal.Tables.X;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** The identity_conflict table: refused links and merges waiting for a person to review. */
@Repository
class ConflictStore {

    private final DSLContext db;

    ConflictStore(DSLContext db) {
        this.db = db;
    }

    /** A refused link or merge. */
    record ConflictRow(long id, String status, String reason, List<Long> customerIds, String type, String appId,
            String maskedValue, String actor, String requestId, OffsetDateTime createdAt, OffsetDateTime closedAt,
            String closedBy) {
    }

    long insert(String reason, List<Long> customerIds, String type, String appId, String maskedValue, String actor,
            String requestId, OffsetDateTime now) {
        return db.insertInto(X.T).set(X.STATUS, "open").set(X.REASON, reason)
                .set(X.CUSTOMER_IDS, customerIds.stream().map(String::valueOf).collect(Collectors.joining(",")))
                .set(X.TYPE, type).set(X.APP_ID, appId).set(X.MASKED_VALUE, maskedValue).set(X.ACTOR, actor)
                .set(X.REQUEST_ID, requestId).set(X.CREATED_AT, now)
                .returningResult(X.ID).fetchOne(X.ID);
    }

    List<ConflictRow> page(Condition where, int limit) {
        return db.select(X.ALL).from(X.T).where(where).orderBy(X.ID.desc()).limit(limit).fetch(ConflictStore::toRow);
    }

    Optional<ConflictRow> find(long id) {
        return db.select(X.ALL).from(X.T).where(X.ID.eq(id)).fetchOptional().map(ConflictStore::toRow);
    }

    void close(long id, String status, String actor, OffsetDateTime now) {
        db.update(X.T).set(X.STATUS, status).set(X.CLOSED_AT, now).set(X.CLOSED_BY, actor).where(X.ID.eq(id)).execute();
    }

    private static ConflictRow toRow(Record r) {
        List<Long> ids = Arrays.stream(r.get(X.CUSTOMER_IDS).split(",")).filter(s -> !s.isEmpty()).map(Long::valueOf).toList();
        return new ConflictRow(r.get(X.ID), r.get(X.STATUS), r.get(X.REASON), ids, r.get(X.TYPE), r.get(X.APP_ID),
                r.get(X.MASKED_VALUE), r.get(X.ACTOR), r.get(X.REQUEST_ID), r.get(X.CREATED_AT), r.get(X.CLOSED_AT),
                r.get(X.CLOSED_BY));
    }
}
