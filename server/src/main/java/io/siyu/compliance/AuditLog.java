package io.siyu.compliance;

import java.util.Map;

/**
 * The append-only record of sensitive operations. Each entry is chained to the previous one by
 * hash, so a changed or removed row is detected by verification. The actor and request id are
 * taken from the current request.
 *
 * <p>Appends are serialised: an entry holds the head of the chain until the caller's transaction
 * ends, so record it as the last write of the operation and keep that transaction short.
 */
public interface AuditLog {

    /**
     * Appends an entry in the caller's transaction (so it exists exactly when the operation does);
     * without one, the entry gets a transaction of its own.
     *
     * @param action     what was done, e.g. {@code customer.merge}, {@code pii.read}
     * @param targetType the kind of object, e.g. {@code customer}
     * @param targetId   its id, or a comma-separated list of ids
     * @param details    small, non-sensitive facts about the operation (never unmasked PII)
     */
    void record(String action, String targetType, String targetId, Map<String, Object> details);
}
