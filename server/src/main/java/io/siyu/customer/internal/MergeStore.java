package io.siyu.customer.internal;

import static io.siyu.customer.internal.Tables.M;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** The customer_merge table: the history of every merge. */
@Repository
class MergeStore {

    private final DSLContext db;

    MergeStore(DSLContext db) {
        this.db = db;
    }

    void insert(long survivorId, long mergedId, String trigger, String reason, String actor, String requestId,
            String details, OffsetDateTime now) {
        db.insertInto(M.T).set(M.SURVIVOR_ID, survivorId).set(M.MERGED_ID, mergedId).set(M.TRIGGER, trigger)
                .set(M.REASON, reason).set(M.ACTOR, actor).set(M.REQUEST_ID, requestId).set(M.DETAILS, details)
                .set(M.CREATED_AT, now).execute();
    }

    /** Merges that involve any of the given customers, oldest first. */
    List<MergeRecord> involving(Collection<Long> customerIds) {
        return db.select(M.ALL).from(M.T)
                .where(M.SURVIVOR_ID.in(customerIds).or(M.MERGED_ID.in(customerIds)))
                .orderBy(M.ID)
                .fetch(r -> new MergeRecord(r.get(M.ID), r.get(M.SURVIVOR_ID), r.get(M.MERGED_ID), r.get(M.TRIGGER),
                        r.get(M.REASON), r.get(M.ACTOR), r.get(M.REQUEST_ID), r.get(M.DETAILS), r.get(M.CREATED_AT)));
    }
}
