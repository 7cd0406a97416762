package io.siyu.segment.internal;

import io.siyu.segment.Rule.Window;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * "Today" for one evaluation, in the brand's time zone, and the day and instant bounds both
 * evaluators derive from it, so they agree on every relative date.
 */
record EvalTime(LocalDate today, ZoneId zone) {

    /** The instant a day starts in the brand's zone. */
    OffsetDateTime start(LocalDate day) {
        return day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    long startSecond(LocalDate day) {
        return day.atStartOfDay(zone).toEpochSecond();
    }

    /** First day of a window, or null for all time. */
    LocalDate firstDay(Window w) {
        if (w.lastDays() != null) {
            return today.minusDays(w.lastDays() - 1L);
        }
        return w.from();
    }

    /** Last day of a window (inclusive), or null for all time. */
    LocalDate lastDay(Window w) {
        if (w.lastDays() != null) {
            return today;
        }
        return w.to();
    }

    /** Month*100 + day, the key anniversaries compare on. */
    static int monthDay(LocalDate d) {
        return d.getMonthValue() * 100 + d.getDayOfMonth();
    }

    /** The stable random bucket (0–99) of a customer id; the SQL evaluator computes the same. */
    static int bucket(long customerId) {
        long h = Math.floorMod(customerId * 2654435761L, 4294967296L);
        return (int) (h * 100 / 4294967296L);
    }
}
