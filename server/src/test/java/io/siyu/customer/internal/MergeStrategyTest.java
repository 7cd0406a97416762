package io.siyu.customer.internal;

import static io.siyu.customer.internal.AttributeDefinition.MergeStrategy.MAX;
import static io.siyu.customer.internal.AttributeDefinition.MergeStrategy.MIN;
import static io.siyu.customer.internal.AttributeDefinition.MergeStrategy.NEWEST;
import static io.siyu.customer.internal.AttributeDefinition.MergeStrategy.OLDEST;
import static io.siyu.customer.internal.AttributeDefinition.MergeStrategy.SURVIVOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MergeStrategyTest {

    private static final OffsetDateTime EARLY = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LATE = EARLY.plusDays(30);

    private static AttributeValue v(Object value, OffsetDateTime at) {
        return new AttributeValue("x", value, at);
    }

    @Test
    void newestTakesTheMoreRecentlyWrittenValue() {
        assertThat(CustomerMerger.takeOther(NEWEST, v("a", EARLY), v("b", LATE))).isTrue();
        assertThat(CustomerMerger.takeOther(NEWEST, v("a", LATE), v("b", EARLY))).isFalse();
        assertThat(CustomerMerger.takeOther(null, v("a", EARLY), v("b", LATE))).isTrue();
    }

    @Test
    void oldestAndSurvivorKeepWhatCameFirst() {
        assertThat(CustomerMerger.takeOther(OLDEST, v("a", LATE), v("b", EARLY))).isTrue();
        assertThat(CustomerMerger.takeOther(OLDEST, v("a", EARLY), v("b", LATE))).isFalse();
        assertThat(CustomerMerger.takeOther(SURVIVOR, v("a", EARLY), v("b", LATE))).isFalse();
    }

    @Test
    void maxAndMinCompareTypedValues() {
        assertThat(CustomerMerger.takeOther(MAX, v(new BigDecimal("10"), LATE), v(new BigDecimal("12.5"), EARLY))).isTrue();
        assertThat(CustomerMerger.takeOther(MIN, v(new BigDecimal("10"), LATE), v(new BigDecimal("12.5"), EARLY))).isFalse();
        assertThat(CustomerMerger.takeOther(MIN, v(LocalDate.of(2025, 5, 1), LATE), v(LocalDate.of(2024, 5, 1), LATE))).isTrue();
    }

    @Test
    void attributeValuesRenderAsPlainJson() {
        assertThat(v(new BigDecimal("100.0000000000"), EARLY).json()).isEqualTo(new java.math.BigInteger("100"));
        assertThat(v(new BigDecimal("12.5000000000"), EARLY).json()).isEqualTo(new BigDecimal("12.5"));
        assertThat(v(LocalDate.of(2025, 6, 1), EARLY).json()).isEqualTo("2025-06-01");
    }
}
