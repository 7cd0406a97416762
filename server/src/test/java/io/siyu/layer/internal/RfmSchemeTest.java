package io.siyu.layer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RfmSchemeTest {

    @Test
    void quintilesByCumulativeDistributionKeepTiesTogether() {
        double[] orders = {1, 1, 1, 1, 1, 1, 2, 2, 3, 10};
        int[] scores = RfmScheme.scores(orders, true);
        // six customers with one order share one score
        assertThat(scores).startsWith(3, 3, 3, 3, 3, 3);
        assertThat(scores[6]).isEqualTo(4);
        assertThat(scores[9]).isEqualTo(5);
    }

    @Test
    void distinctValuesSpreadOverFiveScores() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = i;
        }
        int[] scores = RfmScheme.scores(values, true);
        assertThat(scores[0]).isEqualTo(1);
        assertThat(scores[19]).isEqualTo(1);
        assertThat(scores[20]).isEqualTo(2);
        assertThat(scores[99]).isEqualTo(5);
        int[] reversed = RfmScheme.scores(values, false);
        assertThat(reversed[0]).isEqualTo(5);
        assertThat(reversed[99]).isEqualTo(1);
    }

    @Test
    void countingGivesTheScoresSortingGives() {
        java.util.Random random = new java.util.Random(20261125);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(2000);
            int range = 1 + random.nextInt(round % 2 == 0 ? 10 : 5000);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(range) - range / 3;
            }
            for (boolean higherIsBetter : new boolean[] {true, false}) {
                int[] counted = RfmScheme.byCounting(values, higherIsBetter);
                assertThat(counted).as("round %d", round).isEqualTo(RfmScheme.bySorting(values, higherIsBetter));
                assertThat(RfmScheme.scores(values, higherIsBetter)).isEqualTo(counted);
            }
        }
    }

    @Test
    void fractionsAndWideRangesAreSorted() {
        assertThat(RfmScheme.byCounting(new double[] {1.5, 2}, true)).isNull();
        assertThat(RfmScheme.byCounting(new double[] {0, 1e9}, true)).isNull();
        double[] money = {12.5, 99.99, 12.5, 3000};
        assertThat(RfmScheme.scores(money, true)).isEqualTo(RfmScheme.bySorting(money, true)).containsExactly(3, 4, 3, 5);
    }

    @Test
    void theGridNamesEveryCell() {
        Set<String> seen = new HashSet<>();
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                for (int m = 1; m <= 5; m++) {
                    String s = RfmScheme.segment(r, f, m);
                    assertThat(RfmScheme.SEGMENTS).contains(s);
                    seen.add(s);
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(RfmScheme.SEGMENTS);
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                for (int m = 1; m <= 5; m++) {
                    assertThat(RfmScheme.SEGMENTS.get(RfmScheme.segmentIndex(r, f, m))).isEqualTo(RfmScheme.segment(r, f, m));
                }
            }
        }
        assertThat(RfmScheme.segment(5, 5, 5)).isEqualTo("champions");
        assertThat(RfmScheme.segment(1, 1, 1)).isEqualTo("lost");
        assertThat(RfmScheme.segment(5, 1, 1)).isEqualTo("new_customers");
        assertThat(RfmScheme.segment(1, 5, 5)).isEqualTo("cant_lose");
        assertThat(RfmScheme.segment(2, 4, 2)).isEqualTo("at_risk");
    }

    @Test
    void eightClassesFromAboveOrBelowAverage() {
        assertThat(RfmScheme.valueClass(true, true, true)).isEqualTo("important_value");
        assertThat(RfmScheme.valueClass(true, false, true)).isEqualTo("important_develop");
        assertThat(RfmScheme.valueClass(false, true, true)).isEqualTo("important_keep");
        assertThat(RfmScheme.valueClass(false, false, true)).isEqualTo("important_retain");
        assertThat(RfmScheme.valueClass(true, true, false)).isEqualTo("general_value");
        assertThat(RfmScheme.valueClass(false, false, false)).isEqualTo("general_retain");
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            all.add(RfmScheme.valueClass((i & 1) == 1, (i & 2) == 2, (i & 4) == 4));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(RfmScheme.CLASSES);
        for (int i = 0; i < 8; i++) {
            boolean r = (i & 1) == 1;
            boolean f = (i & 2) == 2;
            boolean m = (i & 4) == 4;
            assertThat(RfmScheme.CLASSES.get(RfmScheme.valueClassIndex(r, f, m))).isEqualTo(RfmScheme.valueClass(r, f, m));
        }
    }
}
