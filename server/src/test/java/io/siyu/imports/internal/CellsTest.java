package io.siyu.imports.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CellsTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void readsDatesAsPeopleTypeThem() throws Exception {
        assertThat(Cells.date("birthday", "2024-03-01")).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(Cells.date("birthday", " 2024/3/1 ")).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(Cells.date("birthday", "20240301")).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThatThrownBy(() -> Cells.date("birthday", "2024-02-30")).isInstanceOf(CellProblem.class)
                .extracting(e -> ((CellProblem) e).code()).isEqualTo("import-invalid-date");
        assertThatThrownBy(() -> Cells.date("birthday", "01/03/2024")).isInstanceOf(CellProblem.class);
    }

    @Test
    void readsTimesWithOffsetOrInTheBrandZone() throws Exception {
        assertThat(Cells.dateTime("ordered_at", "2024-03-01T10:00:00Z", SHANGHAI))
                .isEqualTo(OffsetDateTime.parse("2024-03-01T10:00:00Z"));
        assertThat(Cells.dateTime("ordered_at", "2024-03-01 10:00", SHANGHAI).toInstant())
                .isEqualTo(OffsetDateTime.parse("2024-03-01T02:00:00Z").toInstant());
        assertThat(Cells.dateTime("ordered_at", "2024-03-01T10:00:30.5", SHANGHAI).toInstant())
                .isEqualTo(OffsetDateTime.parse("2024-03-01T02:00:30.5Z").toInstant());
        assertThat(Cells.dateTime("ordered_at", "2024-03-01", SHANGHAI).toInstant())
                .isEqualTo(OffsetDateTime.parse("2024-02-29T16:00:00Z").toInstant());
        assertThatThrownBy(() -> Cells.dateTime("ordered_at", "yesterday", SHANGHAI))
                .extracting(e -> ((CellProblem) e).code()).isEqualTo("import-invalid-datetime");
    }

    @Test
    void amountsAreNotNegativeAndHaveAtMostTwoDecimals() throws Exception {
        assertThat(Cells.money("total", "1,299.5")).isEqualByComparingTo("1299.50");
        assertThat(Cells.money("total", "12.300")).isEqualTo(new BigDecimal("12.30"));
        assertThatThrownBy(() -> Cells.money("total", "-1")).extracting(e -> ((CellProblem) e).code())
                .isEqualTo("import-invalid-amount");
        assertThatThrownBy(() -> Cells.money("total", "1.005")).isInstanceOf(CellProblem.class);
        assertThatThrownBy(() -> Cells.money("total", "abc")).extracting(e -> ((CellProblem) e).code())
                .isEqualTo("import-invalid-number");
    }

    @Test
    void quantitiesArePositiveWholeNumbers() throws Exception {
        assertThat(Cells.positiveInt("quantity", "2")).isEqualTo(2);
        assertThat(Cells.positiveInt("quantity", "2.0")).isEqualTo(2);
        assertThatThrownBy(() -> Cells.positiveInt("quantity", "0")).isInstanceOf(CellProblem.class);
        assertThatThrownBy(() -> Cells.positiveInt("quantity", "1.5")).isInstanceOf(CellProblem.class);
    }

    @Test
    void attributeCellsBecomeTheSchemaType() throws Exception {
        assertThat(Cells.attribute("attr.level", "number", "3")).isEqualTo(new BigDecimal("3"));
        assertThat(Cells.attribute("attr.vip", "boolean", "是")).isEqualTo(true);
        assertThat(Cells.attribute("attr.vip", "boolean", "FALSE")).isEqualTo(false);
        assertThat(Cells.attribute("attr.since", "date", "2024/1/5")).isEqualTo("2024-01-05");
        assertThat(Cells.attribute("attr.tier", "string", " gold ")).isEqualTo("gold");
        assertThatThrownBy(() -> Cells.attribute("attr.vip", "boolean", "maybe"))
                .extracting(e -> ((CellProblem) e).args()).asList().containsExactly("attr.vip", "maybe");
    }
}
