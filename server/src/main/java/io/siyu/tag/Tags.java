package io.siyu.tag;

import java.time.OffsetDateTime;
import java.util.Set;

/** Tag assignment for other modules (rule-based tagging, imports, predictions). */
public interface Tags {

    /** The ids of the tags the customer holds now. */
    Set<Long> tagsOf(long customerId);

    /**
     * Gives the customer the tag (no change when already held); {@code expiresAt} null means the
     * tag's default lifetime, if any. Returns whether it was added.
     */
    boolean assign(long customerId, long tagId, TagSource source, OffsetDateTime expiresAt);

    /** Takes the tag away; returns whether the customer held it. */
    boolean remove(long customerId, long tagId, TagSource source);
}
