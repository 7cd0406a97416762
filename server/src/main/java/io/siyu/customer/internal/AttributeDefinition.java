package io.siyu.customer.internal;

import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

/** An admin-defined custom attribute: its type, labels and how merges combine two values. */
record AttributeDefinition(String name, DataType dataType, String labelZh, String labelEn, String description,
        MergeStrategy mergeStrategy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    enum DataType {
        STRING, NUMBER, BOOLEAN, DATE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<DataType> fromId(String id) {
            for (DataType t : values()) {
                if (t.id().equals(id)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** Which value survives a merge when both customers have one. */
    enum MergeStrategy {
        /** the most recently written non-empty value (the default) */
        NEWEST,
        /** the earliest written value */
        OLDEST,
        /** the surviving (oldest) customer's value */
        SURVIVOR,
        /** the larger value (numbers, dates, strings by order) */
        MAX,
        /** the smaller value */
        MIN;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<MergeStrategy> fromId(String id) {
            for (MergeStrategy s : values()) {
                if (s.id().equals(id)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }
}
