package io.siyu.compliance.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.platform.Actors;
import io.siyu.platform.RequestIds;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;

/**
 * Appends to the audit log under the head lock: read the last id and hash, link the new entry to
 * them, insert it and move the head, all in the caller's transaction. A rolled-back operation
 * therefore leaves no entry and no gap, and concurrent writers queue on the head row.
 */
@Service
class HashChainedAuditLog implements AuditLog {

    static final int MAX_ACTION = 100;
    static final int MAX_ACTOR = 255;
    static final int MAX_TARGET_TYPE = 64;
    static final int MAX_TARGET_ID = 1000;
    static final int MAX_REQUEST_ID = 100;
    static final int MAX_DETAILS = 8000;

    private final AuditStore store;
    private final Clock clock;
    private final ObjectWriter detailsWriter;

    HashChainedAuditLog(AuditStore store, Clock clock, ObjectMapper json) {
        this.store = store;
        this.clock = clock;
        // sorted keys: the same facts always give the same text, whatever map the caller used
        this.detailsWriter = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    @Override
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(String action, String targetType, String targetId, Map<String, Object> details) {
        require(action != null && !action.isBlank(), "an audit action is required");
        String actor = Actors.currentName();
        String requestId = RequestIds.current();
        String detailsJson = detailsWriter.writeValueAsString(details == null ? Map.of() : details);
        checkLength("action", action, MAX_ACTION);
        checkLength("actor", actor, MAX_ACTOR);
        checkLength("targetType", targetType, MAX_TARGET_TYPE);
        checkLength("targetId", targetId, MAX_TARGET_ID);
        checkLength("requestId", requestId, MAX_REQUEST_ID);
        checkLength("details", detailsJson, MAX_DETAILS);

        AuditStore.Head head = store.lockHead();
        long id = head.lastId() + 1;
        OffsetDateTime now = AuditChain.normalise(OffsetDateTime.now(clock));
        String hash = AuditChain.hash(id, now, actor, action, targetType, targetId, requestId, detailsJson,
                head.lastHash());
        store.append(new AuditEntry(id, now, actor, action, targetType, targetId, requestId, detailsJson,
                head.lastHash(), hash));
    }

    // Programming errors of the calling module, not bad user input: they must fail the operation loudly.
    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void checkLength(String what, String value, int max) {
        require(value == null || value.length() <= max,
                "audit " + what + " is longer than " + max + " characters");
    }
}
