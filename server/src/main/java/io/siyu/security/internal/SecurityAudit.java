package io.siyu.security.internal;

import io.siyu.compliance.AuditLog;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Writes this module's entries to the compliance audit log. The log is looked up lazily so that
 * security does not need compliance's implementation to start (compliance is built alongside it).
 */
@Component
class SecurityAudit {

    private final ObjectProvider<AuditLog> auditLog;

    SecurityAudit(ObjectProvider<AuditLog> auditLog) {
        this.auditLog = auditLog;
    }

    void record(String action, String targetType, Object targetId, Map<String, Object> details) {
        auditLog.ifAvailable(log -> log.record(action, targetType, String.valueOf(targetId), details));
    }
}
