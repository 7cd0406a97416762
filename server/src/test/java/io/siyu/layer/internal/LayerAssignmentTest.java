package io.siyu.layer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.layer.internal.LayerAssignment.Move;
import io.siyu.layer.internal.LayerAssignment.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class LayerAssignmentTest {

    private static Step matching(long layer, int... ids) {
        RoaringBitmap matches = RoaringBitmap.bitmapOf(ids);
        return new Step(layer, candidates -> RoaringBitmap.and(candidates, matches));
    }

    @Test
    void theFirstMatchingLayerWinsAndTheDefaultTakesTheRest() {
        RoaringBitmap universe = RoaringBitmap.bitmapOf(1, 2, 3, 4, 5);
        var target = LayerAssignment.firstMatch(universe, List.of(matching(10, 1, 2), matching(11, 2, 3, 9)), 12);
        assertThat(target.get(10L).toArray()).containsExactly(1, 2);
        assertThat(target.get(11L).toArray()).as("2 was taken by the first layer, 9 is not active").containsExactly(3);
        assertThat(target.get(12L).toArray()).containsExactly(4, 5);
    }

    @Test
    void laterRulesOnlySeeTheCustomersNobodyTookYet() {
        RoaringBitmap universe = RoaringBitmap.bitmapOf(1, 2, 3);
        RoaringBitmap seen = new RoaringBitmap();
        Step spy = new Step(11, candidates -> {
            seen.or(candidates);
            return candidates;
        });
        var target = LayerAssignment.firstMatch(universe, List.of(matching(10, 1), spy), 12);
        assertThat(seen.toArray()).containsExactly(2, 3);
        assertThat(target.get(12L).isEmpty()).isTrue();
    }

    @Test
    void eachCustomerIsInExactlyOneLayer() {
        RoaringBitmap universe = new RoaringBitmap();
        universe.add(0L, 1000L);
        var target = LayerAssignment.firstMatch(universe, List.of(new Step(1, c -> filter(c, 3)),
                new Step(2, c -> filter(c, 2)), new Step(3, c -> filter(c, 5))), 4);
        RoaringBitmap all = new RoaringBitmap();
        int sum = 0;
        for (RoaringBitmap b : target.values()) {
            sum += b.getCardinality();
            all.or(b);
        }
        assertThat(sum).isEqualTo(1000);
        assertThat(all).isEqualTo(universe);
    }

    private static RoaringBitmap filter(RoaringBitmap candidates, int divisor) {
        RoaringBitmap out = new RoaringBitmap();
        candidates.forEach((int id) -> {
            if (id % divisor == 0) {
                out.add(id);
            }
        });
        return out;
    }

    @Test
    void diffMovesOnlyTheCustomersWhoseLayerChanged() {
        Map<Long, RoaringBitmap> current = new LinkedHashMap<>();
        current.put(10L, RoaringBitmap.bitmapOf(1, 2));
        current.put(11L, RoaringBitmap.bitmapOf(3, 4));
        Map<Long, RoaringBitmap> target = new LinkedHashMap<>();
        target.put(10L, RoaringBitmap.bitmapOf(1, 3));
        target.put(11L, RoaringBitmap.bitmapOf(4, 5));
        target.put(12L, RoaringBitmap.bitmapOf(2));
        List<Move> moves = LayerAssignment.diff(current, target);
        assertThat(moves).extracting(m -> m.from() + "->" + m.to() + ":" + List.of(toList(m.customers())))
                .containsExactlyInAnyOrder("11->10:[[3]]", "null->11:[[5]]", "10->12:[[2]]");
    }

    @Test
    void customersNoLongerActiveLeaveAndNothingMovesWhenNothingChanged() {
        Map<Long, RoaringBitmap> current = Map.of(10L, RoaringBitmap.bitmapOf(1, 2));
        assertThat(LayerAssignment.diff(current, Map.of(10L, RoaringBitmap.bitmapOf(1, 2)))).isEmpty();
        List<Move> moves = LayerAssignment.diff(current, Map.of(10L, RoaringBitmap.bitmapOf(1)));
        assertThat(moves).hasSize(1);
        assertThat(moves.getFirst().from()).isEqualTo(10L);
        assertThat(moves.getFirst().to()).isNull();
        assertThat(moves.getFirst().customers().toArray()).containsExactly(2);
    }

    private static List<Integer> toList(RoaringBitmap b) {
        return java.util.Arrays.stream(b.toArray()).boxed().toList();
    }
}
