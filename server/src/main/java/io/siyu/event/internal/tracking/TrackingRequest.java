package io.siyu.event.internal.tracking;

import io.siyu.security.WriteKey;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;

/**
 * A tracking call as the authentication filter leaves it for the controller: the key it came with,
 * its body (decompressed, size-checked, parsed once) and when it arrived.
 */
record TrackingRequest(WriteKey key, JsonNode body, OffsetDateTime receivedAt) {

    static final String ATTRIBUTE = TrackingRequest.class.getName();

    static TrackingRequest of(HttpServletRequest request) {
        Object value = request.getAttribute(ATTRIBUTE);
        if (value instanceof TrackingRequest t) {
            return t;
        }
        throw new IllegalStateException("tracking request reached the controller without passing its filter");
    }
}
