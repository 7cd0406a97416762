package io.siyu.security;

import static io.siyu.security.Permissions.*;

import java.util.Set;

/**
 * The console roles and what each may do. Least privilege by default: only {@code admin} reads
 * unmasked PII; the auditor reads the audit log and nothing else of substance.
 */
public enum Role {
    ADMIN(Set.of(CUSTOMER_READ, CUSTOMER_WRITE, CUSTOMER_DELETE, CUSTOMER_MERGE, PII_READ, EVENT_READ, SCHEMA_WRITE, AUDIT_READ,
            SEGMENT_WRITE, SEGMENT_EXPORT,
            USER_ADMIN, TOKEN_ADMIN, SETTINGS_ADMIN)),
    OPERATOR(Set.of(CUSTOMER_READ, CUSTOMER_WRITE, CUSTOMER_MERGE, SCHEMA_WRITE, SEGMENT_WRITE, SEGMENT_EXPORT)),
    STAFF(Set.of(CUSTOMER_READ, CUSTOMER_WRITE)),
    ANALYST(Set.of(CUSTOMER_READ, EVENT_READ, SEGMENT_EXPORT)),
    AUDITOR(Set.of(AUDIT_READ, CUSTOMER_READ));

    private final Set<String> permissions;

    Role(Set<String> permissions) {
        this.permissions = permissions;
    }

    public Set<String> permissions() {
        return permissions;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<Role> fromId(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return java.util.Optional.of(role);
            }
        }
        return java.util.Optional.empty();
    }
}
