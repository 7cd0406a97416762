package io.siyu.platform;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The current time and the brand's time zone ({@code siyu.time-zone}, default Asia/Shanghai):
 * times are stored in UTC and shown with the brand's offset.
 */
@Component
public class BrandClock {

    private final Clock clock;
    private final ZoneId zone;

    public BrandClock(Clock clock, @Value("${siyu.time-zone:Asia/Shanghai}") String zone) {
        this.clock = clock;
        this.zone = ZoneId.of(zone);
    }

    /** Now in UTC, truncated to microseconds (what both databases keep). */
    public OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * A time from a query parameter: an ISO date-time with offset, or a date meaning the start of
     * that day in the brand's zone ({@code endOfDay}: the start of the next day, so that an exclusive
     * upper bound includes the whole day). Anything else is a 400 naming the parameter.
     */
    public OffsetDateTime parseParameter(String text, String param, boolean endOfDay) {
        try {
            return OffsetDateTime.parse(text);
        } catch (java.time.format.DateTimeParseException notDateTime) {
            try {
                java.time.LocalDate d = java.time.LocalDate.parse(text);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toOffsetDateTime();
            } catch (java.time.format.DateTimeParseException e) {
                throw SiyuException.invalid(java.util.List.of(FieldProblem.of(param, "invalid-parameter", param, text)));
            }
        }
    }

    /** The same instant with the brand's offset, for API output; null stays null. */
    public OffsetDateTime local(OffsetDateTime time) {
        return time == null ? null : time.atZoneSameInstant(zone).toOffsetDateTime();
    }
}
