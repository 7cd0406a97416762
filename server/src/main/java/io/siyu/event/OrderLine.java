package io.siyu.event;

import java.math.BigDecimal;

/** One line of an order (the Segment e-commerce spec's product). Every field may be null. */
public record OrderLine(String productId, String sku, String category, String name, BigDecimal price, Integer quantity) {
}
