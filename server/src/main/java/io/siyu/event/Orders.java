package io.siyu.event;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * Orders, kept apart from the event log because RFM, loyalty and analytics read orders. Recording
 * is idempotent on the order id; a refund adjusts the order it names.
 *
 * <p>A caller appends the order's event ({@code Order Completed}, {@code Order Refunded}) to the
 * {@link EventLog} in the same transaction, as tracking and import do: readers that keep orders in
 * memory (the segment engine, and RFM through it) learn of order changes from the log.
 */
public interface Orders {

    /** The events that change orders: the orders table is written with them. */
    Set<String> EVENTS = Set.of("Order Completed", "Order Refunded");

    /** Records a completed order once; returns false when the order id was already recorded. */
    default boolean recordCompleted(long customerId, OrderFacts order) {
        return !recordCompleted(List.of(new Completion(customerId, order))).isEmpty();
    }

    /**
     * Records completed orders as {@link #recordCompleted(long, OrderFacts)} does one by one, in fewer
     * statements: of several with one order id the first is kept. Returns the order ids newly recorded.
     */
    Set<String> recordCompleted(List<Completion> completions);

    /** A completed order and the customer it belongs to. */
    record Completion(long customerId, OrderFacts order) {
    }

    /**
     * Refunds {@code amount} of an order (the whole order when null), never more than it was worth;
     * returns false when the order is unknown or already fully refunded.
     */
    boolean recordRefund(String orderId, BigDecimal amount, OffsetDateTime at);
}
