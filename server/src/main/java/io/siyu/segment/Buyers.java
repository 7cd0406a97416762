package io.siyu.segment;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Per-customer order totals over a time window, answered from the bitmap engine's in-memory orders
 * (RFM reads them instead of aggregating the orders table). Orders reach the engine through the
 * event log: every writer of orders appends the order's event in the same transaction (see
 * {@link io.siyu.event.Orders}).
 */
public interface Buyers {

    /**
     * The active customers with at least one counted (not fully refunded) order whose time, in whole
     * epoch seconds, lies in {@code [from, to]}, by ascending id; for each the latest order time in the
     * window (refunded orders included), the number of counted orders and the spend net of refunds
     * in cents. The engine first catches up with the event log as it stands at the call, waiting at most
     * {@code wait}; empty when the engine is off, not loaded yet, or did not catch up in time (the
     * caller then reads the database).
     */
    Optional<Totals> inWindow(OffsetDateTime from, OffsetDateTime to, Duration wait) throws InterruptedException;

    /** Parallel arrays, one element per customer, {@code size} long. */
    record Totals(int size, long[] customerIds, long[] lastOrderSecond, int[] orders, long[] netCents) {
    }

    /** Builds {@link Totals} one customer at a time, in ascending id order. */
    final class Collector {
        private int size;
        private long[] ids = new long[1 << 16];
        private long[] last = new long[1 << 16];
        private int[] orders = new int[1 << 16];
        private long[] cents = new long[1 << 16];

        public void add(long customerId, long lastOrderSecond, int counted, long netCents) {
            if (size == ids.length) {
                int capacity = size * 2;
                ids = java.util.Arrays.copyOf(ids, capacity);
                last = java.util.Arrays.copyOf(last, capacity);
                orders = java.util.Arrays.copyOf(orders, capacity);
                cents = java.util.Arrays.copyOf(cents, capacity);
            }
            ids[size] = customerId;
            last[size] = lastOrderSecond;
            orders[size] = counted;
            cents[size] = netCents;
            size++;
        }

        public Totals totals() {
            return new Totals(size, java.util.Arrays.copyOf(ids, size), java.util.Arrays.copyOf(last, size),
                    java.util.Arrays.copyOf(orders, size), java.util.Arrays.copyOf(cents, size));
        }
    }
}
