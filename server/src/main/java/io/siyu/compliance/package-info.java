/**
 * Compliance (PIPL): PII encrypted at rest with rotating keys, blind indexes for exact lookup,
 * masking for callers without {@code pii:read}, and the hash-chained, append-only audit log.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Compliance")
package io.siyu.compliance;
