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
        int n = values.length;
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            int atOrBelow = upperBound(sorted, values[i]);
            int atOrAbove = n - lowerBound(sorted, values[i]);
            double share = (higherIsBetter ? atOrBelow : atOrAbove) / (double) n;
            out[i] = Math.max(1, Math.min(5, (int) Math.ceil(share * 5 - 1e-9)));
        }
        return out;
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

    private static int upperBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
