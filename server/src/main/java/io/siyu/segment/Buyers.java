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
}
