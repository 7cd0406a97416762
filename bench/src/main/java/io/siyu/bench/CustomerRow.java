package io.siyu.bench;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** One customer row of a loaded demo person: the cheap profile columns, all times at first sighting. */
record CustomerRow(long id, String displayName, String nickname, String gender, LocalDate birthday, String province,
        String city, String source, OffsetDateTime firstSeen) {
}
