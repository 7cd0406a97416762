package io.siyu.customer.internal;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** One row of the customer table; {@code realNameEnc} is still encrypted. */
record CustomerRow(long id, String status, Long mergedInto, Profile profile, String realNameEnc, String source,
        OffsetDateTime profileUpdatedAt, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime erasedAt) {

    static final String ACTIVE = "active";
    static final String MERGED = "merged";
    static final String ERASED = "erased";

    boolean active() {
        return ACTIVE.equals(status);
    }

    /** The plain (non-encrypted) profile fields. */
    record Profile(String displayName, String nickname, String gender, LocalDate birthday, String province, String city,
            String avatarUrl) {

        static final Profile EMPTY = new Profile(null, null, null, null, null, null, null);
    }
}
