package io.siyu.event.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.SiyuException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClockSkewTest {

    private static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2026-11-24T12:00:00Z");

    @Test
    void laysTheSendersDelayBackFromReceipt() {
        // the device clock is an hour fast: only the 5 minutes between event and send are trusted
        OffsetDateTime happened = OffsetDateTime.parse("2026-11-24T13:00:00Z");
        OffsetDateTime sent = OffsetDateTime.parse("2026-11-24T13:05:00Z");
        assertThat(ClockSkew.correct(happened, sent, RECEIVED)).isEqualTo(OffsetDateTime.parse("2026-11-24T11:55:00Z"));
    }

    @Test
    void trustsTheTimestampWithoutSentAt() {
        OffsetDateTime happened = OffsetDateTime.parse("2026-11-20T08:00:00+08:00");
        assertThat(ClockSkew.correct(happened, null, RECEIVED)).isEqualTo(happened);
    }

    @Test
    void usesReceiptWhenTheSenderSaysNothingOrOnlySentAt() {
        assertThat(ClockSkew.correct(null, null, RECEIVED)).isEqualTo(RECEIVED);
        assertThat(ClockSkew.correct(null, OffsetDateTime.parse("2030-01-01T00:00:00Z"), RECEIVED)).isEqualTo(RECEIVED);
    }

    @Test
    void readsTheOffsetsClientsWrite() {
        OffsetDateTime expected = OffsetDateTime.of(2026, 11, 24, 20, 0, 0, 0, ZoneOffset.ofHours(8));
        assertThat(Timestamps.parse("2026-11-24T20:00:00+08:00", "timestamp")).isEqualTo(expected);
        assertThat(Timestamps.parse("2026-11-24T20:00:00.000+0800", "timestamp")).isEqualTo(expected);
        assertThat(Timestamps.parse("2026-11-24T12:00:00Z", "timestamp").toInstant()).isEqualTo(expected.toInstant());
        assertThat(Timestamps.parse("2026-11-24T12:00:00", "timestamp").toInstant()).as("no offset: UTC")
                .isEqualTo(expected.toInstant());
        assertThatThrownBy(() -> Timestamps.parse("yesterday", "timestamp"))
                .isInstanceOfSatisfying(SiyuException.class, e -> assertThat(e.code()).isEqualTo("invalid-timestamp"));
    }
}
