package io.siyu.platform.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

/**
 * Rows of {@code idempotency_record}, one per (actor, key). A row with a null status is a claim by
 * a request still running; its {@code created_at} doubles as the claim's token, so that a request
 * only ever completes or releases its own claim, never one that replaced it.
 */
@Repository
class IdempotencyStore {

    static final Table<Record> RECORD = table(name("idempotency_record"));
    static final Field<String> KEY = field(name("idem_key"), String.class);
    static final Field<String> ACTOR = field(name("actor"), String.class);
    static final Field<String> REQUEST_HASH = field(name("request_hash"), String.class);
    static final Field<Integer> STATUS = field(name("status"), Integer.class);
    static final Field<String> CONTENT_TYPE = field(name("content_type"), String.class);
    static final Field<String> LOCATION = field(name("location"), String.class);
    static final Field<String> BODY = field(name("body"), String.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);

    /** A stored row: a claim in progress when {@code response} is empty. */
    record Stored(String requestHash, OffsetDateTime createdAt, Optional<RecordedResponse> response) {
    }

    private final DSLContext db;

    IdempotencyStore(DSLContext db) {
        this.db = db;
    }

    /**
     * Inserts a claim; false when a row for (actor, key) exists. The primary key decides between
     * concurrent requests on H2 and PostgreSQL alike; the statement runs in its own (auto-commit)
     * transaction so that other requests see the claim at once.
     */
    boolean insertClaim(String actor, String key, String requestHash, OffsetDateTime token) {
        try {
            db.insertInto(RECORD)
                    .set(ACTOR, actor).set(KEY, key).set(REQUEST_HASH, requestHash).set(CREATED_AT, token)
                    .execute();
            return true;
        } catch (DuplicateKeyException | IntegrityConstraintViolationException duplicate) {
            return false;
        }
    }

    Optional<Stored> find(String actor, String key) {
        return db.select(REQUEST_HASH, CREATED_AT, STATUS, CONTENT_TYPE, LOCATION, BODY)
                .from(RECORD)
                .where(ACTOR.eq(actor), KEY.eq(key))
                .fetchOptional(r -> new Stored(r.get(REQUEST_HASH), r.get(CREATED_AT),
                        Optional.ofNullable(r.get(STATUS)).map(status -> new RecordedResponse(status,
                                r.get(CONTENT_TYPE), r.get(LOCATION), r.get(BODY) == null ? "" : r.get(BODY)))));
    }

    /** Replaces an expired row (or an abandoned claim) seen with {@code seen} by a new claim. */
    boolean replace(String actor, String key, OffsetDateTime seen, String requestHash, OffsetDateTime token) {
        return db.update(RECORD)
                .set(REQUEST_HASH, requestHash)
                .set(CREATED_AT, token)
                .set(STATUS, (Integer) null)
                .set(CONTENT_TYPE, (String) null)
                .set(LOCATION, (String) null)
                .set(BODY, (String) null)
                .where(ACTOR.eq(actor), KEY.eq(key), CREATED_AT.eq(seen))
                .execute() == 1;
    }

    /** Stores the answer of a claim; false when the claim is no longer this request's. */
    boolean complete(String actor, String key, OffsetDateTime token, RecordedResponse response) {
        return db.update(RECORD)
                .set(STATUS, response.status())
                .set(CONTENT_TYPE, response.contentType())
                .set(LOCATION, response.location())
                .set(BODY, response.body())
                .where(ownClaim(actor, key, token))
                .execute() == 1;
    }

    /** Drops a claim whose request produced no answer worth keeping, so that a retry runs again. */
    void release(String actor, String key, OffsetDateTime token) {
        db.deleteFrom(RECORD).where(ownClaim(actor, key, token)).execute();
    }

    /** Deletes every row, finished or not, made before {@code cutoff}; returns how many. */
    int deleteOlderThan(OffsetDateTime cutoff) {
        return db.deleteFrom(RECORD).where(CREATED_AT.lt(cutoff)).execute();
    }

    private static Condition ownClaim(String actor, String key, OffsetDateTime token) {
        return ACTOR.eq(actor).and(KEY.eq(key)).and(CREATED_AT.eq(token)).and(STATUS.isNull());
    }
}
