package io.siyu.tag;

import java.time.OffsetDateTime;

/**
 * A change of one customer's tags: {@code added}, {@code removed} or {@code expired}. Handed to every
 * {@link TagSyncTarget} after the change committed.
 */
public record TagChanged(long customerId, long tagId, String tagName, String groupName, String kind, TagSource source,
        OffsetDateTime at) {
}
