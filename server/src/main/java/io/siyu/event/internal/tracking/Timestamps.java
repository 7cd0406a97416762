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
        return parse(text, field, true);
    }

    /** As {@link #parse(String, String)}; {@code fast} false reads every form with the formatter (tests). */
    static OffsetDateTime parse(String text, String field, boolean fast) {
        OffsetDateTime common = fast ? parseCommon(text) : null;
        if (common != null) {
            return common;
        }
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

    /**
     * The form nearly every client sends, {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM)}, read
     * without the general formatter, which costs several times more; null for anything else (other
     * offsets, missing seconds, out-of-range fields), which the formatter then reads or refuses.
     */
    static OffsetDateTime parseCommon(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != 't')
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9')) {
                return null;
            }
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        if (i == n - 1 && (t.charAt(i) == 'Z' || t.charAt(i) == 'z')) {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return null;
            }
            int total = oh * 3600 + om * 60;
            if (total > 18 * 3600) {
                return null;
            }
            offset = ZoneOffset.ofTotalSeconds(t.charAt(i) == '-' ? -total : total);
        } else {
            return null;
        }
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
        } catch (java.time.DateTimeException e) {
            // a day the month does not have: the formatter refuses it with the usual problem
            return null;
        }
    }

    /** The non-negative number in {@code count} ASCII digits at {@code from}; -1 when any is no digit. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = t.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
