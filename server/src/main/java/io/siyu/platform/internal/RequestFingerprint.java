package io.siyu.platform.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of what makes two requests "the same request": method, path with query string and
 * body. A repeated {@code Idempotency-Key} is only answered from the record when this matches, so a
 * key reused for another request is caught instead of replaying an unrelated answer.
 */
final class RequestFingerprint {

    private final MessageDigest digest;

    private RequestFingerprint(String method, String path, String query) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        text(method);
        text(path);
        // "no query" and "empty query" are different requests only to a pedant; treat them alike
        text(query == null ? "" : query);
    }

    static RequestFingerprint of(String method, String path, String query) {
        return new RequestFingerprint(method, path, query);
    }

    /** Adds a length-prefixed part, so that no two different sequences of parts hash alike. */
    RequestFingerprint bytes(byte[] part) {
        digest.update(Long.toString(part.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(part);
        return this;
    }

    RequestFingerprint text(String part) {
        return bytes(part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8));
    }

    /** The lower-case hex digest (64 characters); the fingerprint cannot be extended afterwards. */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The fingerprint of a request whose body is read as raw bytes (JSON and everything but forms). */
    static String hash(String method, String path, String query, byte[] body) {
        return of(method, path, query).bytes(body).hex();
    }
}
