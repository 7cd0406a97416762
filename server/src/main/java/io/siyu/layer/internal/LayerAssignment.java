package io.siyu.layer.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The layering logic, free of storage: first match wins down the ordered layers, the default
 * layer takes the rest; and the moves that turn the current assignment into the new one.
 */
final class LayerAssignment {

    private LayerAssignment() {
    }

    /** A ruled layer: which of the given candidates its rule matches. */
    record Step(long layerId, UnaryOperator<RoaringBitmap> matcher) {
    }

    /** Customers moving from one layer to another; {@code from} null = entering, {@code to} null = leaving. */
    record Move(Long from, Long to, RoaringBitmap customers) {
    }

    /**
     * Each customer of {@code universe} in the first layer whose rule matches, else in the default
     * layer. Every customer ends up in exactly one layer.
     */
    static Map<Long, RoaringBitmap> firstMatch(RoaringBitmap universe, List<Step> steps, long defaultLayerId) {
        Map<Long, RoaringBitmap> target = new LinkedHashMap<>();
        RoaringBitmap remaining = universe.clone();
        for (Step step : steps) {
            RoaringBitmap matched = remaining.isEmpty() ? new RoaringBitmap()
                    : RoaringBitmap.and(step.matcher().apply(remaining.clone()), remaining);
            target.put(step.layerId(), matched);
            remaining.andNot(matched);
        }
        target.merge(defaultLayerId, remaining, (a, b) -> RoaringBitmap.or(a, b));
        return target;
    }

    /**
     * The moves from {@code current} (each customer's layer now, for the customers in scope) to
     * {@code target} (each active customer's new layer). Customers in the same layer in both do not
     * move; customers only in {@code current} leave; customers only in {@code target} enter.
     */
    static List<Move> diff(Map<Long, RoaringBitmap> current, Map<Long, RoaringBitmap> target) {
        List<Move> moves = new ArrayList<>();
        RoaringBitmap placedNow = new RoaringBitmap();
        current.values().forEach(placedNow::or);
        RoaringBitmap placedNext = new RoaringBitmap();
        target.values().forEach(placedNext::or);
        for (Map.Entry<Long, RoaringBitmap> to : target.entrySet()) {
            RoaringBitmap arriving = RoaringBitmap.andNot(to.getValue(),
                    current.getOrDefault(to.getKey(), new RoaringBitmap()));
            if (arriving.isEmpty()) {
                continue;
            }
            for (Map.Entry<Long, RoaringBitmap> from : current.entrySet()) {
                if (!from.getKey().equals(to.getKey())) {
                    RoaringBitmap moving = RoaringBitmap.and(arriving, from.getValue());
                    if (!moving.isEmpty()) {
                        moves.add(new Move(from.getKey(), to.getKey(), moving));
                    }
                }
            }
            RoaringBitmap entering = RoaringBitmap.andNot(arriving, placedNow);
            if (!entering.isEmpty()) {
                moves.add(new Move(null, to.getKey(), entering));
            }
        }
        for (Map.Entry<Long, RoaringBitmap> from : current.entrySet()) {
            RoaringBitmap leaving = RoaringBitmap.andNot(from.getValue(), placedNext);
            if (!leaving.isEmpty()) {
                moves.add(new Move(from.getKey(), null, leaving));
            }
        }
        return moves;
    }
}
