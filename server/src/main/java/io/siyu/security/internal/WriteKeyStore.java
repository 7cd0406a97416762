package io.siyu.security.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** Ingestion write keys in the {@code write_key} table; the key itself is never stored. */
@Repository
class WriteKeyStore {

    static final Table<Record> KEY = table(name("write_key"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<String> DESCRIPTION = field(name("description"), String.class);
    static final Field<String> SECRET_HASH = field(name("secret_hash"), String.class);
    static final Field<String> SECRET_PREFIX = field(name("secret_prefix"), String.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<String> CREATED_BY = field(name("created_by"), String.class);
    static final Field<OffsetDateTime> REVOKED_AT = field(name("revoked_at"), OffsetDateTime.class);
    static final Field<String> REVOKED_BY = field(name("revoked_by"), String.class);

    private static final List<Field<?>> FIELDS = List.of(ID, NAME, DESCRIPTION, SECRET_PREFIX, CREATED_AT, CREATED_BY,
            REVOKED_AT, REVOKED_BY);

    /** A write key's metadata: everything but the key. */
    record StoredWriteKey(long id, String name, String description, String prefix, OffsetDateTime createdAt,
            String createdBy, OffsetDateTime revokedAt, String revokedBy) {
    }

    private final DSLContext db;

    WriteKeyStore(DSLContext db) {
        this.db = db;
    }

    boolean nameTaken(String name) {
        return db.fetchExists(KEY, NAME.eq(name));
    }

    long insert(String name, String description, String secretHash, String prefix, OffsetDateTime now,
            String createdBy) {
        return db.insertInto(KEY)
                .set(NAME, name).set(DESCRIPTION, description).set(SECRET_HASH, secretHash)
                .set(SECRET_PREFIX, prefix).set(CREATED_AT, now).set(CREATED_BY, createdBy)
                .returningResult(ID).fetchOne(ID);
    }

    Optional<StoredWriteKey> find(long id) {
        return db.select(FIELDS).from(KEY).where(ID.eq(id)).fetchOptional().map(WriteKeyStore::toKey);
    }

    /** The active (not revoked) key with this hash. */
    Optional<StoredWriteKey> findActiveBySecretHash(String secretHash) {
        return db.select(FIELDS).from(KEY).where(SECRET_HASH.eq(secretHash)).and(REVOKED_AT.isNull())
                .fetchOptional().map(WriteKeyStore::toKey);
    }

    /** The active (not revoked) key of this name. */
    Optional<StoredWriteKey> findActiveByName(String name) {
        return db.select(FIELDS).from(KEY).where(NAME.eq(name)).and(REVOKED_AT.isNull())
                .fetchOptional().map(WriteKeyStore::toKey);
    }

    /** Newest first; {@code beforeId} continues after the last row of the previous page. */
    List<StoredWriteKey> page(Long beforeId, int limit) {
        return db.select(FIELDS).from(KEY)
                .where(beforeId == null ? noCondition() : ID.lt(beforeId))
                .orderBy(ID.desc()).limit(limit)
                .fetch(WriteKeyStore::toKey);
    }

    /** Marks the key revoked unless it already is; false when nothing changed. */
    boolean revoke(long id, OffsetDateTime now, String revokedBy) {
        return db.update(KEY).set(REVOKED_AT, now).set(REVOKED_BY, revokedBy)
                .where(ID.eq(id)).and(REVOKED_AT.isNull()).execute() == 1;
    }

    private static StoredWriteKey toKey(Record r) {
        return new StoredWriteKey(r.get(ID), r.get(NAME), r.get(DESCRIPTION), r.get(SECRET_PREFIX),
                r.get(CREATED_AT), r.get(CREATED_BY), r.get(REVOKED_AT), r.get(REVOKED_BY));
    }
}
