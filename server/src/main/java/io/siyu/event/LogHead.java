package io.siyu.event;

import java.time.OffsetDateTime;

/**
 * What a follower of the log needs of an event to know who changed and what it adds to their daily
 * counts ({@link DailyCountKeys}): no properties, no context.
 */
public record LogHead(long offset, long customerId, String type, String name, boolean system,
        OffsetDateTime occurredAt) {
}
