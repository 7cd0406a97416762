package io.siyu.tag;

import java.util.Locale;
import java.util.Optional;

/** Where a tag assignment came from. */
public enum TagSource {
    MANUAL, RULE, IMPORT, PREDICTED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TagSource> fromId(String id) {
        for (TagSource s : values()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
