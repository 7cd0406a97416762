package io.siyu.platform.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;

/**
 * The answer to a completed idempotent request, as stored and replayed: status, content type,
 * {@code Location} (a created resource's address) and body text.
 */
record RecordedResponse(int status, String contentType, String location, String body) {

    /** The widths of the idempotency_record columns; a larger answer cannot be recorded. */
    static final int MAX_BODY_CHARS = 1_000_000;
    static final int MAX_CONTENT_TYPE = 100;
    static final int MAX_LOCATION = 2000;

    static RecordedResponse of(int status, String contentType, String location, byte[] body) {
        return new RecordedResponse(status, contentType, location, new String(body, charsetOf(contentType)));
    }

    /** Whether the handler's answer is final for this key: success or the caller's own mistake. */
    static boolean isFinal(int status) {
        boolean success = status >= 200 && status < 300;
        // 429 says "not now", not "no": the same request may well succeed later
        boolean clientError = status >= 400 && status < 500 && status != 429;
        return success || clientError;
    }

    /**
     * This answer as the record can hold it: itself when it fits, else without what does not fit.
     * A body too large to keep is dropped rather than the record, because a repeat that changes
     * nothing matters more than a repeat that gets the whole body.
     */
    RecordedResponse fittedToRecord() {
        boolean bodyFits = body.length() <= MAX_BODY_CHARS;
        boolean typeFits = contentType == null || contentType.length() <= MAX_CONTENT_TYPE;
        boolean locationFits = location == null || location.length() <= MAX_LOCATION;
        if (bodyFits && typeFits && locationFits) {
            return this;
        }
        return new RecordedResponse(status, bodyFits && typeFits ? contentType : null, locationFits ? location : null,
                bodyFits && typeFits ? body : "");
    }

    byte[] bodyBytes() {
        return body.getBytes(charsetOf(contentType));
    }

    /**
     * The charset the body is encoded in: the content type's own, else UTF-8 (the only encoding of
     * JSON, RFC 8259). Used both ways, so the replayed bytes are the recorded bytes.
     */
    static Charset charsetOf(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            Charset charset = MediaType.parseMediaType(contentType).getCharset();
            return charset == null ? StandardCharsets.UTF_8 : charset;
        } catch (IllegalArgumentException unparseableOrUnknownCharset) {
            return StandardCharsets.UTF_8;
        }
    }
}
