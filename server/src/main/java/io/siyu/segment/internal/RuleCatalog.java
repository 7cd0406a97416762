package io.siyu.segment.internal;

import io.siyu.segment.Rule.ValueType;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/** What a rule may refer to, for validation: fields, tags, staff, identity types, layers, segments. */
interface RuleCatalog {

    /** The type of a custom attribute, if one is defined with that name. */
    Optional<ValueType> customAttribute(String name);

    /** The ids among {@code ids} that name no tag. */
    Set<Long> unknownTags(Collection<Long> ids);

    boolean staffExists(long staffId);

    /** Whether a WeCom customer group with this chat id was ever synced (dismissed ones included). */
    boolean groupChatExists(String chatId);

    boolean identityTypeExists(String type);

    /** The ids among {@code ids} that name no layer. */
    Set<Long> unknownLayers(Collection<Long> ids);

    /** A stored segment: its rule JSON when dynamic (null when static). */
    Optional<StoredSegment> segment(long id);

    /** A segment as the catalog knows it. */
    record StoredSegment(long id, boolean dynamic, String ruleJson) {
    }
}
