package io.siyu.platform.internal;

import io.siyu.platform.SiyuException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The caller's {@code Idempotency-Key}: 1–200 printable ASCII characters, sent once. Anything else is
 * a 400 {@code invalid-idempotency-key}, so that a typo never silently turns off the protection.
 */
record IdempotencyKey(String value) {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 200;

    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1," + MAX_LENGTH + "}");

    IdempotencyKey {
        if (value == null || !PRINTABLE.matcher(value).matches() || value.isBlank()) {
            throw SiyuException.badRequest("invalid-idempotency-key", MAX_LENGTH);
        }
    }

    /** The key of a request carrying the given header values; empty when the header is absent. */
    static Optional<IdempotencyKey> from(List<String> headerValues) {
        if (headerValues.isEmpty()) {
            return Optional.empty();
        }
        if (headerValues.size() > 1) {
            throw SiyuException.badRequest("invalid-idempotency-key", MAX_LENGTH);
        }
        return Optional.of(new IdempotencyKey(headerValues.getFirst()));
    }

    static List<String> headerValues(HttpServletRequest request) {
        return Collections.list(request.getHeaders(HEADER));
    }
}
