package io.siyu.event;

import java.time.OffsetDateTime;

/** An event as stored in the log, with its offset (the order in which consumers see it). */
public record LoggedEvent(long offset, long id, long customerId, String type, String name, String messageId,
        OffsetDateTime occurredAt, OffsetDateTime receivedAt, boolean system, String properties, String context) {
}
