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

/** API tokens in the {@code api_token} table; the secret itself is never stored. */
@Repository
class ApiTokenStore {

    static final Table<Record> TOKEN = table(name("api_token"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<String> ROLE = field(name("role"), String.class);
    static final Field<String> SECRET_HASH = field(name("secret_hash"), String.class);
    static final Field<String> SECRET_PREFIX = field(name("secret_prefix"), String.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<String> CREATED_BY = field(name("created_by"), String.class);
    static final Field<OffsetDateTime> EXPIRES_AT = field(name("expires_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> LAST_USED_AT = field(name("last_used_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> REVOKED_AT = field(name("revoked_at"), OffsetDateTime.class);
    static final Field<String> REVOKED_BY = field(name("revoked_by"), String.class);

    private static final List<Field<?>> FIELDS = List.of(ID, NAME, ROLE, SECRET_PREFIX, CREATED_AT, CREATED_BY,
            EXPIRES_AT, LAST_USED_AT, REVOKED_AT, REVOKED_BY);

    /** A token's metadata: everything but the secret. */
    record StoredToken(long id, String name, String role, String prefix, OffsetDateTime createdAt, String createdBy,
            OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt, String revokedBy) {

        boolean activeAt(OffsetDateTime now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    private final DSLContext db;

    ApiTokenStore(DSLContext db) {
        this.db = db;
    }

    boolean nameTaken(String name) {
        return db.fetchExists(TOKEN, NAME.eq(name));
    }

    long insert(String name, String role, String secretHash, String prefix, OffsetDateTime expiresAt,
            OffsetDateTime now, String createdBy) {
        return db.insertInto(TOKEN)
                .set(NAME, name).set(ROLE, role).set(SECRET_HASH, secretHash).set(SECRET_PREFIX, prefix)
                .set(CREATED_AT, now).set(CREATED_BY, createdBy).set(EXPIRES_AT, expiresAt)
                .returningResult(ID).fetchOne(ID);
    }

    Optional<StoredToken> find(long id) {
        return db.select(FIELDS).from(TOKEN).where(ID.eq(id)).fetchOptional().map(ApiTokenStore::toToken);
    }

    Optional<StoredToken> findBySecretHash(String secretHash) {
        return db.select(FIELDS).from(TOKEN).where(SECRET_HASH.eq(secretHash)).fetchOptional()
                .map(ApiTokenStore::toToken);
    }

    /** Newest first; {@code beforeId} continues after the last row of the previous page. */
    List<StoredToken> page(Long beforeId, int limit) {
        return db.select(FIELDS).from(TOKEN)
                .where(beforeId == null ? noCondition() : ID.lt(beforeId))
                .orderBy(ID.desc()).limit(limit)
                .fetch(ApiTokenStore::toToken);
    }

    /** Marks the token revoked unless it already is; false when nothing changed. */
    boolean revoke(long id, OffsetDateTime now, String revokedBy) {
        return db.update(TOKEN).set(REVOKED_AT, now).set(REVOKED_BY, revokedBy)
                .where(ID.eq(id)).and(REVOKED_AT.isNull()).execute() == 1;
    }

    /** Records use, but writes only when the stored time is older than {@code staleBefore}. */
    void touch(long id, OffsetDateTime now, OffsetDateTime staleBefore) {
        db.update(TOKEN).set(LAST_USED_AT, now)
                .where(ID.eq(id)).and(LAST_USED_AT.isNull().or(LAST_USED_AT.lt(staleBefore))).execute();
    }

    private static StoredToken toToken(Record r) {
        return new StoredToken(r.get(ID), r.get(NAME), r.get(ROLE), r.get(SECRET_PREFIX), r.get(CREATED_AT),
                r.get(CREATED_BY), r.get(EXPIRES_AT), r.get(LAST_USED_AT), r.get(REVOKED_AT), r.get(REVOKED_BY));
    }
}
