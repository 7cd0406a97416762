package io.siyu.event;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A completed order as it arrives (an {@code Order Completed} event, an import row).
 *
 * @param total    what the customer paid (Segment's {@code total}; falls back to {@code revenue})
 * @param currency ISO 4217, CNY by default
 */
public record OrderFacts(String orderId, BigDecimal total, BigDecimal revenue, BigDecimal discount, String coupon,
        String currency, OffsetDateTime orderedAt, List<OrderLine> lines) {

    public OrderFacts {
        lines = lines == null ? List.of() : List.copyOf(lines);
        currency = currency == null || currency.isBlank() ? "CNY" : currency;
    }
}
