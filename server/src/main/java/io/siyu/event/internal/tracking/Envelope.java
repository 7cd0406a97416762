package io.siyu.event.internal.tracking;

import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;

/**
 * What a batch says for all of its messages: a shared {@code context} (a message's own context
 * wins key by key) and when it was sent. Single calls have an empty envelope.
 *
 * @param context an object node, or null
 * @param sentAt  may be null
 */
record Envelope(JsonNode context, OffsetDateTime sentAt) {

    static final Envelope NONE = new Envelope(null, null);
}
