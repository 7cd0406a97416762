package io.siyu.customer.internal;

import java.time.OffsetDateTime;

/** One recorded merge: who was merged into whom, by what, why, by whom and when. */
record MergeRecord(long id, long survivorId, long mergedId, String trigger, String reason, String actor, String requestId,
        String details, OffsetDateTime createdAt) {
}
