package io.siyu.imports.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the text of a cell into the value its column needs. Spreadsheets are typed by people, so
 * the readings are forgiving where that is unambiguous (thousands separators, {@code 2024/3/1},
 * {@code 是}/{@code 否}) and strict otherwise; every refusal names the column and the value.
 */
final class Cells {

    private static final Set<String> TRUE = Set.of("true", "1", "yes", "y", "是", "真");
    private static final Set<String> FALSE = Set.of("false", "0", "no", "n", "否", "假");
    private static final DateTimeFormatter DATE = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR, 4).optionalStart().appendLiteral('-').optionalEnd()
            .optionalStart().appendLiteral('/').optionalEnd()
            .appendValue(ChronoField.MONTH_OF_YEAR, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE)
            .optionalStart().appendLiteral('-').optionalEnd().optionalStart().appendLiteral('/').optionalEnd()
            .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE)
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);
    private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DATE).optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).optionalStart().appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().optionalEnd()
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);
    private static final BigDecimal MAX_MONEY = new BigDecimal("1e16");

    private Cells() {
    }

    static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    /** A decimal number; commas as thousands separators are allowed. */
    static BigDecimal decimal(String column, String text) throws CellProblem {
        String t = text.trim().replace(",", "");
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new CellProblem("import-invalid-number", column, text);
        }
    }

    /** An amount of money: not negative, at most two decimals (what DECIMAL(18,2) keeps). */
    static BigDecimal money(String column, String text) throws CellProblem {
        BigDecimal n = decimal(column, text);
        if (n.signum() < 0 || n.compareTo(MAX_MONEY) >= 0 || n.stripTrailingZeros().scale() > 2) {
            throw new CellProblem("import-invalid-amount", column, text);
        }
        return n.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }

    /** A positive whole number ({@code 2} or {@code 2.0}, as spreadsheets write it). */
    static int positiveInt(String column, String text) throws CellProblem {
        try {
            BigDecimal n = new BigDecimal(text.trim());
            int i = n.intValueExact();
            if (i < 1) {
                throw new CellProblem("import-invalid-quantity", column, text);
            }
            return i;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CellProblem("import-invalid-quantity", column, text);
        }
    }

    static boolean bool(String column, String text) throws CellProblem {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(t)) {
            return true;
        }
        if (FALSE.contains(t)) {
            return false;
        }
        throw new CellProblem("import-invalid-boolean", column, text);
    }

    /** A calendar date: {@code 2024-03-01}, {@code 2024/3/1}, {@code 20240301}. */
    static LocalDate date(String column, String text) throws CellProblem {
        try {
            return LocalDate.parse(text.trim(), DATE);
        } catch (DateTimeParseException e) {
            throw new CellProblem("import-invalid-date", column, text);
        }
    }

    /**
     * A point in time: ISO with offset ({@code 2024-03-01T10:00:00+08:00}), or a local date-time
     * ({@code 2024-03-01 10:00}) or date (start of day) in the brand's zone.
     */
    static OffsetDateTime dateTime(String column, String text, ZoneId zone) throws CellProblem {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(t, LOCAL_DATE_TIME).atZone(zone).toOffsetDateTime();
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(t, DATE).atStartOfDay(zone).toOffsetDateTime();
                } catch (DateTimeParseException e) {
                    throw new CellProblem("import-invalid-datetime", column, text);
                }
            }
        }
    }

    /** A custom attribute value of the schema's type, as the customer module takes it. */
    static Object attribute(String column, String type, String text) throws CellProblem {
        return switch (type) {
            case "number" -> decimal(column, text);
            case "boolean" -> bool(column, text);
            case "date" -> date(column, text).toString();
            default -> text.trim();
        };
    }
}
