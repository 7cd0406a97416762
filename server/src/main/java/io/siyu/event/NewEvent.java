package io.siyu.event;

import java.time.OffsetDateTime;

/**
 * An event to append to a customer's log.
 *
 * @param customerId  the customer it belongs to (already resolved)
 * @param type        track | identify | page | screen | group | alias | system
 * @param name        the event name (track, system) or page/screen name; may be null
 * @param messageId   the sender's id, for deduplication and tracing; may be null
 * @param sourceKey   the ingestion write key it came through; null for events made inside Siyu
 * @param occurredAt  when it happened (clock-skew corrected)
 * @param receivedAt  when Siyu received it
 * @param system      whether Siyu derived it (tag added, segment entered, ...) rather than the customer doing it
 * @param properties  JSON object text of the event's properties; may be null
 * @param context     JSON object text of the sender's context; may be null
 */
public record NewEvent(long customerId, String type, String name, String messageId, Long sourceKey,
        OffsetDateTime occurredAt, OffsetDateTime receivedAt, boolean system, String properties, String context) {

    /** A derived system event ({@code segment entered}, {@code tag added}, ...) happening now. */
    public static NewEvent system(long customerId, String name, OffsetDateTime at, String properties) {
        return new NewEvent(customerId, "system", name, null, null, at, at, true, properties, null);
    }
}
