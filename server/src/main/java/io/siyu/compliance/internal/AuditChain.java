package io.siyu.compliance.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * How an audit entry is hashed. The canonical form writes every field with its length in front
 * ({@code 5:hello}, {@code -} for null), so no choice of field contents can make two different
 * entries serialise alike; the time is written in UTC with exactly six fraction digits, which is
 * what both databases store, so the hash survives a round trip through either.
 */
final class AuditChain {

    /** The {@code prev_hash} of the first entry. */
    static final String GENESIS = "0".repeat(64);

    private static final String VERSION = "siyu-audit-v1";
    private static final DateTimeFormatter UTC_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private AuditChain() {
    }

    /** The instant as stored: microsecond precision, UTC. */
    static OffsetDateTime normalise(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    static String hash(AuditEntry e) {
        return hash(e.id(), e.occurredAt(), e.actor(), e.action(), e.targetType(), e.targetId(), e.requestId(),
                e.details(), e.prevHash());
    }

    static String hash(long id, OffsetDateTime occurredAt, String actor, String action, String targetType,
            String targetId, String requestId, String details, String prevHash) {
        StringBuilder sb = new StringBuilder(VERSION);
        for (String field : new String[] {Long.toString(id), UTC_MICROS.format(normalise(occurredAt)), actor, action,
                targetType, targetId, requestId, details, prevHash}) {
            sb.append('|');
            if (field == null) {
                sb.append('-');
            } else {
                sb.append(field.length()).append(':').append(field);
            }
        }
        return sha256(sb.toString());
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
