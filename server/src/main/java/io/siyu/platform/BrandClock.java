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

    /** The same instant with the brand's offset, for API output; null stays null. */
    public OffsetDateTime local(OffsetDateTime time) {
        return time == null ? null : time.atZoneSameInstant(zone).toOffsetDateTime();
    }
}
