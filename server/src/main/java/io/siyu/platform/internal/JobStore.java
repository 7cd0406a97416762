package io.siyu.platform.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.platform.Job;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Rows of {@code job}. Every write is its own statement, so readers see progress at once. */
@Repository
class JobStore {

    static final Table<Record> T = table(name("job"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<String> KIND = field(name("kind"), String.class);
    static final Field<String> STATUS = field(name("status"), String.class);
    static final Field<Long> DONE = field(name("progress_done"), Long.class);
    static final Field<Long> TOTAL = field(name("progress_total"), Long.class);
    static final Field<String> RESULT = field(name("result"), String.class);
    static final Field<String> ERROR = field(name("error"), String.class);
    static final Field<String> CREATED_BY = field(name("created_by"), String.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> STARTED_AT = field(name("started_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> FINISHED_AT = field(name("finished_at"), OffsetDateTime.class);
    static final Field<Boolean> CANCEL = field(name("cancel_requested"), Boolean.class);
    private static final List<Field<?>> ALL = List.of(ID, KIND, STATUS, DONE, TOTAL, RESULT, ERROR, CREATED_BY,
            CREATED_AT, STARTED_AT, FINISHED_AT, CANCEL);
    private static final List<String> UNFINISHED = List.of(Job.Status.QUEUED.id(), Job.Status.RUNNING.id());

    /** A job as stored; {@code result} is JSON text. */
    record JobRow(long id, String kind, Job.Status status, long done, Long total, String result, String error,
            String createdBy, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
            boolean cancelRequested) {
    }

    private final DSLContext db;

    JobStore(DSLContext db) {
        this.db = db;
    }

    long insert(String kind, String createdBy, OffsetDateTime now) {
        return db.insertInto(T).set(KIND, kind).set(STATUS, Job.Status.QUEUED.id()).set(DONE, 0L)
                .set(CREATED_BY, createdBy).set(CREATED_AT, now).set(CANCEL, false)
                .returningResult(ID).fetchOne(r -> r.get(ID));
    }

    Optional<JobRow> find(long id) {
        return db.select(ALL).from(T).where(ID.eq(id)).fetchOptional(JobStore::row);
    }

    /** Newest first, after the (createdAt, id) of the last row of the previous page. */
    List<JobRow> page(Condition filter, OffsetDateTime afterCreatedAt, Long afterId, int limit) {
        Condition where = filter;
        if (afterId != null) {
            where = where.and(CREATED_AT.lt(afterCreatedAt).or(CREATED_AT.eq(afterCreatedAt).and(ID.lt(afterId))));
        }
        return db.select(ALL).from(T).where(where).orderBy(CREATED_AT.desc(), ID.desc()).limit(limit)
                .fetch(JobStore::row);
    }

    /** queued → running; false when the job is no longer queued (cancelled before it started). */
    boolean markRunning(long id, OffsetDateTime now) {
        return db.update(T).set(STATUS, Job.Status.RUNNING.id()).set(STARTED_AT, now)
                .where(ID.eq(id), STATUS.eq(Job.Status.QUEUED.id())).execute() == 1;
    }

    /** Writes progress; returns whether a cancel was requested meanwhile. */
    boolean progress(long id, long done, Long total) {
        db.update(T).set(DONE, done).set(TOTAL, total).where(ID.eq(id)).execute();
        return Boolean.TRUE.equals(db.select(CANCEL).from(T).where(ID.eq(id)).fetchOne(CANCEL));
    }

    void finish(long id, Job.Status status, long done, Long total, String result, String error, OffsetDateTime now) {
        db.update(T).set(STATUS, status.id()).set(DONE, done).set(TOTAL, total).set(RESULT, result)
                .set(ERROR, error).set(FINISHED_AT, now).where(ID.eq(id)).execute();
    }

    /** Cancels a queued job outright; true when it was still queued. */
    boolean cancelQueued(long id, OffsetDateTime now) {
        return db.update(T).set(STATUS, Job.Status.CANCELLED.id()).set(CANCEL, true).set(FINISHED_AT, now)
                .where(ID.eq(id), STATUS.eq(Job.Status.QUEUED.id())).execute() == 1;
    }

    /** Asks a running job to stop at its next checkpoint; true when it was running. */
    boolean requestCancel(long id) {
        return db.update(T).set(CANCEL, true).where(ID.eq(id), STATUS.eq(Job.Status.RUNNING.id())).execute() == 1;
    }

    /** Fails every unfinished job except those running here, with {@code error}. */
    int failUnfinished(Collection<Long> runningHere, String error, OffsetDateTime now) {
        Condition where = STATUS.in(UNFINISHED);
        if (!runningHere.isEmpty()) {
            where = where.and(ID.notIn(runningHere));
        }
        return db.update(T).set(STATUS, Job.Status.FAILED.id()).set(ERROR, error).set(FINISHED_AT, now)
                .where(where).execute();
    }

    static Condition filter(String kind, Job.Status status, String createdBy) {
        Condition where = DSL.trueCondition();
        if (kind != null) {
            where = where.and(KIND.eq(kind));
        }
        if (status != null) {
            where = where.and(STATUS.eq(status.id()));
        }
        if (createdBy != null) {
            where = where.and(CREATED_BY.eq(createdBy));
        }
        return where;
    }

    private static JobRow row(Record r) {
        return new JobRow(r.get(ID), r.get(KIND), Job.Status.fromId(r.get(STATUS)).orElseThrow(), r.get(DONE),
                r.get(TOTAL), r.get(RESULT), r.get(ERROR), r.get(CREATED_BY), r.get(CREATED_AT), r.get(STARTED_AT),
                r.get(FINISHED_AT), r.get(CANCEL));
    }
}
