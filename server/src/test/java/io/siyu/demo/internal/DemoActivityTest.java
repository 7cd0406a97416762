package io.siyu.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.event.OrderFacts;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoActivityTest {

    private static final OffsetDateTime END = OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC);
    private final DemoActivity activity = new DemoActivity(42, END);

    private List<DemoActivity.Plan> plans(int n) {
        List<DemoActivity.Plan> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            out.add(activity.plan(p, END.minusDays(30 + p % 330)));
        }
        return out;
    }

    @Test
    void plansAreDeterministic() {
        assertThat(activity.plan(5, END.minusDays(100))).isEqualTo(new DemoActivity(42, END).plan(5, END.minusDays(100)));
        assertThat(activity.plan(5, END.minusDays(100))).isNotEqualTo(new DemoActivity(43, END).plan(5, END.minusDays(100)));
    }

    @Test
    void everythingHappensBetweenFirstSightingAndNow() {
        for (int p = 0; p < 300; p++) {
            OffsetDateTime first = END.minusDays(30 + p);
            var plan = activity.plan(p, first);
            assertThat(plan.events()).allSatisfy(e -> assertThat(e.at()).isBefore(END).isAfter(first.minusDays(1)));
        }
    }

    @Test
    void engagementAndSpendAreLongTailed() {
        List<Integer> eventsPerPerson = plans(2000).stream().map(p -> p.events().size()).sorted().toList();
        int median = eventsPerPerson.get(1000);
        int p99 = eventsPerPerson.get(1980);
        assertThat(p99).isGreaterThan(median * 4);
        List<BigDecimal> spend = plans(2000).stream().map(p -> p.orders().stream().map(OrderFacts::total)
                .reduce(BigDecimal.ZERO, BigDecimal::add)).filter(s -> s.signum() > 0).sorted().toList();
        assertThat(spend.size()).isBetween(600, 1200);
        assertThat(spend.get(spend.size() * 99 / 100)).isGreaterThan(spend.get(spend.size() / 2).multiply(BigDecimal.valueOf(4)));
    }

    @Test
    void buyersRepurchaseOnTheProductCycle() {
        List<Long> gaps = new ArrayList<>();
        for (var plan : plans(2000)) {
            List<OrderFacts> orders = plan.orders().stream().sorted(Comparator.comparing(OrderFacts::orderedAt)).toList();
            for (int i = 1; i < orders.size(); i++) {
                gaps.add(Duration.between(orders.get(i - 1).orderedAt(), orders.get(i).orderedAt()).toDays());
            }
        }
        assertThat(gaps).hasSizeGreaterThan(500);
        long monthly = gaps.stream().filter(g -> g >= 18 && g <= 45).count();
        assertThat(monthly).isGreaterThan(gaps.size() / 2);
    }
}
