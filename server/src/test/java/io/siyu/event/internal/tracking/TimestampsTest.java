package io.siyu.event.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.SiyuException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast path for the usual timestamp form reads exactly what the general formatter reads. */
class TimestampsTest {

    @Test
    void readsTheFormsClientsSend() {
        OffsetDateTime utc = OffsetDateTime.of(2026, 12, 6, 1, 44, 2, 123_000_000, ZoneOffset.UTC);
        assertThat(Timestamps.parse("2026-12-06T01:44:02.123Z", "timestamp")).isEqualTo(utc);
        assertThat(Timestamps.parse("2026-12-06T09:44:02.123+08:00", "timestamp")).isEqualTo(utc.withOffsetSameInstant(ZoneOffset.ofHours(8)));
        assertThat(Timestamps.parse("2026-12-06T09:44:02.123+0800", "timestamp")).isEqualTo(utc.withOffsetSameInstant(ZoneOffset.ofHours(8)));
        assertThat(Timestamps.parse("2026-12-06T01:44:02.123", "timestamp")).isEqualTo(utc);
        assertThat(Timestamps.parse(" 2026-12-06T01:44:02.123Z ", "timestamp")).isEqualTo(utc);
        assertThat(Timestamps.parseCommon("2026-12-06T01:44:02.123456789Z")).isEqualTo(utc.withNano(123_456_789));
    }

    @Test
    void leavesEverythingElseToTheFormatter() {
        assertThat(Timestamps.parseCommon("2026-12-06T01:44Z")).isNull();
        assertThat(Timestamps.parseCommon("2026-12-06T01:44:02+0800")).isNull();
        assertThat(Timestamps.parseCommon("2026-02-30T01:44:02Z")).isNull();
        assertThat(Timestamps.parseCommon("2026-12-06T01:44:02.1234567891Z")).isNull();
        assertThat(Timestamps.parseCommon("2026-12-06T01:44:02.Z")).isNull();
        // the formatter resolves a day past the month's end to its last day, as it always did
        assertThat(Timestamps.parse("2026-02-30T01:44:02Z", "timestamp"))
                .isEqualTo(Timestamps.parse("2026-02-30T01:44:02Z", "timestamp", false));
        assertThatThrownBy(() -> Timestamps.parse("2026-13-01T01:44:02Z", "timestamp"))
                .isInstanceOf(SiyuException.class).hasFieldOrPropertyWithValue("code", "invalid-timestamp");
    }

    @Property(tries = 3000)
    void fastAndGeneralAgree(@ForAll("timestamps") String text) {
        Object general;
        try {
            general = Timestamps.parse(text, "timestamp", false);
        } catch (SiyuException e) {
            general = e.code();
        }
        Object fast;
        try {
            fast = Timestamps.parse(text, "timestamp", true);
        } catch (SiyuException e) {
            fast = e.code();
        }
        assertThat(fast).as(text).isEqualTo(general);
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> date = Combinators.combine(Arbitraries.integers().between(1, 9999),
                Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 32))
                .as((y, m, d) -> "%04d-%02d-%02d".formatted(y, m, d));
        Arbitrary<String> time = Combinators.combine(Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(0, 61), Arbitraries.integers().between(0, 61))
                .as((h, mi, s) -> "%02d:%02d:%02d".formatted(h, mi, s));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("."),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(11).map(f -> "." + f));
        Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.of("Z", "z", "", "+08:00", "-05:30", "+0800", "+08",
                "-00:00", "+18:00", "+19:00", "+08:60", "X", " "),
                Combinators.combine(Arbitraries.of("+", "-"), Arbitraries.integers().between(0, 19),
                        Arbitraries.integers().between(0, 60)).as((sign, h, m) -> "%s%02d:%02d".formatted(sign, h, m)));
        Arbitrary<String> separator = Arbitraries.of("T", "t", " ");
        return Combinators.combine(date, separator, time, fraction, offset).as((d, sep, t, f, o) -> d + sep + t + f + o);
    }
}
