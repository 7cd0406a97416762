package io.siyu.event.internal.tracking;

import io.siyu.platform.SiyuException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Reads the ISO-8601 times Segment clients send. Libraries differ in the offset they write
 * ({@code Z}, {@code +08:00}, {@code +0800}); a time without an offset is taken as UTC, as
 * Segment does.
 */
final class Timestamps {

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /** The time in {@code text}; a 400 {@code invalid-timestamp} naming {@code field} when it is no time. */
    static OffsetDateTime parse(String text, String field) {
        try {
            TemporalAccessor t = FORMAT.parse(text.trim());
            LocalDateTime local = LocalDateTime.from(t);
            ZoneOffset offset = t.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
            return OffsetDateTime.of(local, offset);
        } catch (DateTimeParseException e) {
            throw SiyuException.badRequest("invalid-timestamp", field, text);
        }
    }
}
