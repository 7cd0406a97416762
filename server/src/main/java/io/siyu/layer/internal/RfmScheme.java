package io.siyu.layer.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The scoring rules, free of storage. Scores are quintiles by cumulative distribution, so customers
 * with equal values always share a score (an order count of 1 is one score, however many have it).
 * The named segments follow the usual R × FM grid; the 8 classes compare R, F and M with their
 * averages (R "high" means more recent than average).
 */
final class RfmScheme {

    /** The 11 named segments, best first. */
    static final List<String> SEGMENTS = List.of("champions", "loyal", "potential_loyalist", "new_customers",
            "promising", "need_attention", "about_to_sleep", "at_risk", "cant_lose", "hibernating", "lost");

    /** The 8 value classes (重要价值客户 … 一般挽留客户). */
    static final List<String> CLASSES = List.of("important_value", "important_develop", "important_keep",
            "important_retain", "general_value", "general_develop", "general_keep", "general_retain");

    // rows: R score 5..1; columns: FM score 1..5
    private static final String[][] GRID = {
        {"new_customers", "potential_loyalist", "loyal", "champions", "champions"},
        {"promising", "potential_loyalist", "loyal", "champions", "champions"},
        {"about_to_sleep", "need_attention", "need_attention", "loyal", "loyal"},
        {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},
        {"lost", "hibernating", "at_risk", "cant_lose", "cant_lose"},
    };

    private RfmScheme() {
    }

    /**
     * Quintile scores 1–5 where a larger value scores higher: ceil(5 × share of values ≤ it).
     * {@code higherIsBetter = false} scores smaller values higher (recency: fewer days is better).
     */
    static int[] scores(double[] values, boolean higherIsBetter) {
        int[] counted = byCounting(values, higherIsBetter);
        return counted != null ? counted : bySorting(values, higherIsBetter);
    }

    /** The largest value range scored by counting (days, order counts); wider ranges are sorted. */
    private static final int COUNTING_RANGE = 1 << 22;

    /** {@link #scores} for whole numbers in a small range, in linear time; null for other values. */
    static int[] byCounting(double[] values, boolean higherIsBetter) {
        int n = values.length;
        if (n == 0) {
            return new int[0];
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (v != Math.rint(v) || Double.isInfinite(v)) {
                return null;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (max - min >= COUNTING_RANGE) {
            return null;
        }
        long base = (long) min;
        int[] counts = new int[(int) (max - min) + 1];
        for (double v : values) {
            counts[(int) ((long) v - base)]++;
        }
        // the score of every value that occurs, from the values below and above it
        int[] scoreOf = new int[counts.length];
        int below = 0;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] > 0) {
                int atOrBelow = below + counts[k];
                int atOrAbove = n - below;
                scoreOf[k] = score((higherIsBetter ? atOrBelow : atOrAbove) / (double) n);
            }
            below += counts[k];
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = scoreOf[(int) ((long) values[i] - base)];
        }
        return out;
    }

    /**
     * {@link #scores} for any values: a sorted copy gives each distinct value its score in one sweep,
     * then each value finds its distinct value by binary search.
     */
    static int[] bySorting(double[] values, boolean higherIsBetter) {
        int n = values.length;
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] distinct = new double[n];
        int[] scoreOf = new int[n];
        int d = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) {
                j++;
            }
            // values below: i; at or below: j; at or above: n - i
            distinct[d] = sorted[i];
            scoreOf[d] = score((higherIsBetter ? j : n - i) / (double) n);
            d++;
            i = j;
        }
        for (int i = 0; i < n; i++) {
            out[i] = scoreOf[Arrays.binarySearch(distinct, 0, d, values[i])];
        }
        return out;
    }

    /** ceil(5 × share), within 1..5. */
    private static int score(double share) {
        return Math.max(1, Math.min(5, (int) Math.ceil(share * 5 - 1e-9)));
    }

    /** The index in {@link #SEGMENTS} of {@link #segment}, for scores 1..5. */
    static int segmentIndex(int r, int f, int m) {
        return SEGMENT_INDEX[r * 36 + f * 6 + m];
    }

    private static final byte[] SEGMENT_INDEX = new byte[6 * 6 * 6];

    static {
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                for (int m = 1; m <= 5; m++) {
                    SEGMENT_INDEX[r * 36 + f * 6 + m] = (byte) SEGMENTS.indexOf(segment(r, f, m));
                }
            }
        }
    }

    /** The index in {@link #CLASSES} of {@link #valueClass}. */
    static int valueClassIndex(boolean recentAboveAverage, boolean frequentAboveAverage, boolean spendAboveAverage) {
        return CLASS_INDEX[(recentAboveAverage ? 4 : 0) + (frequentAboveAverage ? 2 : 0) + (spendAboveAverage ? 1 : 0)];
    }

    private static final byte[] CLASS_INDEX = new byte[8];

    static {
        for (int i = 0; i < 8; i++) {
            CLASS_INDEX[i] = (byte) CLASSES.indexOf(valueClass((i & 4) != 0, (i & 2) != 0, (i & 1) != 0));
        }
    }

    static String segment(int r, int f, int m) {
        int fm = (int) Math.round((f + m) / 2.0 + 1e-9);
        return GRID[5 - r][fm - 1];
    }

    static String valueClass(boolean recentAboveAverage, boolean frequentAboveAverage, boolean spendAboveAverage) {
        String importance = spendAboveAverage ? "important_" : "general_";
        String kind = recentAboveAverage
                ? (frequentAboveAverage ? "value" : "develop")
                : (frequentAboveAverage ? "keep" : "retain");
        return importance + kind;
    }
}
