package io.siyu.compliance.internal;

import java.time.OffsetDateTime;

/** One row of {@code audit_log}, as stored and as hashed. */
record AuditEntry(long id, OffsetDateTime occurredAt, String actor, String action, String targetType,
        String targetId, String requestId, String details, String prevHash, String hash) {
}
