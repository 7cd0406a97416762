package io.siyu.compliance.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/**
 * The {@code audit_log} rows and the one-row {@code audit_head} that holds the end of the chain.
 * Locking the head row is what serialises appends on both databases.
 */
@Repository
class AuditStore {

    static final Table<Record> LOG = table(name("audit_log"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<OffsetDateTime> OCCURRED_AT = field(name("occurred_at"), OffsetDateTime.class);
    static final Field<String> ACTOR = field(name("actor"), String.class);
    static final Field<String> ACTION = field(name("action"), String.class);
    static final Field<String> TARGET_TYPE = field(name("target_type"), String.class);
    static final Field<String> TARGET_ID = field(name("target_id"), String.class);
    static final Field<String> REQUEST_ID = field(name("request_id"), String.class);
    static final Field<String> DETAILS = field(name("details"), String.class);
    static final Field<String> PREV_HASH = field(name("prev_hash"), String.class);
    static final Field<String> HASH = field(name("hash"), String.class);

    static final Table<Record> HEAD = table(name("audit_head"));
    static final Field<Integer> HEAD_ID = field(name("id"), Integer.class);
    static final Field<Long> HEAD_LAST_ID = field(name("last_id"), Long.class);
    static final Field<String> HEAD_LAST_HASH = field(name("last_hash"), String.class);

    private static final List<Field<?>> COLUMNS = List.of(ID, OCCURRED_AT, ACTOR, ACTION, TARGET_TYPE, TARGET_ID,
            REQUEST_ID, DETAILS, PREV_HASH, HASH);

    /** The end of the chain: the id and hash of the newest entry (0 and the genesis hash when empty). */
    record Head(long lastId, String lastHash) {
    }

    /** What the list can be narrowed by; null means "any". {@code from} is inclusive, {@code to} exclusive. */
    record Filter(String action, String actor, String targetType, String targetId, OffsetDateTime from,
            OffsetDateTime to) {
    }

    private final DSLContext db;

    AuditStore(DSLContext db) {
        this.db = db;
    }

    /** Reads the head and locks it until the current transaction ends. */
    Head lockHead() {
        return toHead(db.select(HEAD_LAST_ID, HEAD_LAST_HASH).from(HEAD).where(HEAD_ID.eq(1)).forUpdate().fetchSingle());
    }

    /** Reads the head without locking: everything up to it is committed and will not change legitimately. */
    Head readHead() {
        return toHead(db.select(HEAD_LAST_ID, HEAD_LAST_HASH).from(HEAD).where(HEAD_ID.eq(1)).fetchSingle());
    }

    /** Inserts the entry and moves the head to it; the caller holds the head lock. */
    void append(AuditEntry e) {
        db.insertInto(LOG)
                .set(ID, e.id()).set(OCCURRED_AT, e.occurredAt()).set(ACTOR, e.actor()).set(ACTION, e.action())
                .set(TARGET_TYPE, e.targetType()).set(TARGET_ID, e.targetId()).set(REQUEST_ID, e.requestId())
                .set(DETAILS, e.details()).set(PREV_HASH, e.prevHash()).set(HASH, e.hash())
                .execute();
        db.update(HEAD).set(HEAD_LAST_ID, e.id()).set(HEAD_LAST_HASH, e.hash()).where(HEAD_ID.eq(1)).execute();
    }

    /** Up to {@code limit} entries matching {@code filter}, newest first, older than {@code beforeId} if given. */
    List<AuditEntry> page(Filter filter, Long beforeId, int limit) {
        Condition where = conditions(filter);
        if (beforeId != null) {
            where = where.and(ID.lt(beforeId));
        }
        return db.select(COLUMNS).from(LOG).where(where).orderBy(ID.desc()).limit(limit).fetch(AuditStore::toEntry);
    }

    /** Up to {@code limit} entries with {@code afterId < id <= upToId}, oldest first. */
    List<AuditEntry> batch(long afterId, long upToId, int limit) {
        return db.select(COLUMNS).from(LOG).where(ID.gt(afterId).and(ID.le(upToId))).orderBy(ID.asc()).limit(limit)
                .fetch(AuditStore::toEntry);
    }

    Optional<AuditEntry> find(long id) {
        return db.select(COLUMNS).from(LOG).where(ID.eq(id)).fetchOptional(AuditStore::toEntry);
    }

    private static Condition conditions(Filter f) {
        Condition c = noCondition();
        if (f.action() != null) {
            c = c.and(ACTION.eq(f.action()));
        }
        if (f.actor() != null) {
            c = c.and(ACTOR.eq(f.actor()));
        }
        if (f.targetType() != null) {
            c = c.and(TARGET_TYPE.eq(f.targetType()));
        }
        if (f.targetId() != null) {
            c = c.and(targetIs(f.targetId()));
        }
        if (f.from() != null) {
            c = c.and(OCCURRED_AT.ge(f.from()));
        }
        if (f.to() != null) {
            c = c.and(OCCURRED_AT.lt(f.to()));
        }
        return c;
    }

    /** The target is the id, or the id is one of a comma-separated list (a merge names all its customers). */
    private static Condition targetIs(String id) {
        String escaped = id.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return TARGET_ID.eq(id)
                .or(TARGET_ID.like(escaped + ",%", '!'))
                .or(TARGET_ID.like("%," + escaped, '!'))
                .or(TARGET_ID.like("%," + escaped + ",%", '!'));
    }

    private static Head toHead(Record2<Long, String> r) {
        return new Head(r.value1(), r.value2());
    }

    private static AuditEntry toEntry(Record r) {
        return new AuditEntry(r.get(ID), r.get(OCCURRED_AT), r.get(ACTOR), r.get(ACTION), r.get(TARGET_TYPE),
                r.get(TARGET_ID), r.get(REQUEST_ID), r.get(DETAILS), r.get(PREV_HASH), r.get(HASH));
    }
}
