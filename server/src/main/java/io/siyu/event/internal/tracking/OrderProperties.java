package io.siyu.event.internal.tracking;

import io.siyu.event.OrderFacts;
import io.siyu.event.OrderLine;
import io.siyu.event.internal.tracking.TrackedMessage.Commerce;
import io.siyu.platform.SiyuException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads the properties of Segment's e-commerce events that change orders ({@code Order Completed},
 * {@code Order Refunded}). Money arrives as numbers or numeric strings; anything else rejects the
 * message, because a wrong amount in the order book would skew RFM and loyalty for good.
 */
final class OrderProperties {

    static final String COMPLETED = "Order Completed";
    static final String REFUNDED = "Order Refunded";
    private static final int MAX_ID = 100;
    private static final int MAX_TEXT = 100;
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    private OrderProperties() {
    }

    static Commerce read(String event, JsonNode properties, OffsetDateTime occurredAt) {
        return switch (event) {
            case COMPLETED -> new TrackedMessage.Completed(completed(properties, occurredAt));
            case REFUNDED -> refunded(properties);
            default -> new TrackedMessage.NoOrder();
        };
    }

    private static OrderFacts completed(JsonNode p, OffsetDateTime occurredAt) {
        String orderId = orderId(p);
        BigDecimal total = money(p, "total", "/properties/total");
        BigDecimal revenue = money(p, "revenue", "/properties/revenue");
        BigDecimal discount = money(p, "discount", "/properties/discount");
        String currency = text(p.get("currency"));
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            throw SiyuException.badRequest("invalid-currency", currency);
        }
        List<OrderLine> lines = new ArrayList<>();
        JsonNode products = p.get("products");
        if (products != null && !products.isNull()) {
            if (!products.isArray()) {
                throw SiyuException.badRequest("invalid-products", "/properties/products");
            }
            for (int i = 0; i < products.size(); i++) {
                lines.add(line(products.get(i), "/properties/products/" + i));
            }
        }
        return new OrderFacts(orderId, total, revenue, discount, clip(text(p.get("coupon")), MAX_TEXT),
                currency == null ? null : currency.toUpperCase(Locale.ROOT), occurredAt, lines);
    }

    private static Commerce refunded(JsonNode p) {
        String orderId = orderId(p);
        // some senders write refunds as negative amounts: the sign says nothing the event name does not
        BigDecimal amount = money(p, "total", "/properties/total", true);
        if (amount == null) {
            amount = money(p, "revenue", "/properties/revenue", true);
        }
        return new TrackedMessage.Refunded(orderId, amount);
    }

    private static OrderLine line(JsonNode product, String pointer) {
        if (product == null || !product.isObject()) {
            throw SiyuException.badRequest("invalid-products", pointer);
        }
        BigDecimal price = money(product, "price", pointer + "/price");
        Integer quantity = null;
        JsonNode q = product.get("quantity");
        if (q != null && !q.isNull()) {
            BigDecimal n = number(q);
            if (n == null || n.signum() < 0 || n.stripTrailingZeros().scale() > 0 || n.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
                throw SiyuException.badRequest("invalid-quantity", pointer + "/quantity", q.toString());
            }
            quantity = n.intValueExact();
        }
        String productId = text(product.get("product_id"));
        if (productId == null) {
            productId = text(product.get("id"));
        }
        return new OrderLine(clip(productId, MAX_TEXT), clip(text(product.get("sku")), MAX_TEXT),
                clip(text(product.get("category")), 200), clip(text(product.get("name")), 300), price, quantity);
    }

    private static String orderId(JsonNode p) {
        String id = text(p.get("order_id"));
        if (id == null || id.isBlank()) {
            throw SiyuException.badRequest("missing-order-id");
        }
        if (id.length() > MAX_ID) {
            throw SiyuException.badRequest("invalid-order-id", MAX_ID);
        }
        return id.trim();
    }

    /** A non-negative amount of money, or null when absent. */
    private static BigDecimal money(JsonNode p, String field, String pointer) {
        return money(p, field, pointer, false);
    }

    private static BigDecimal money(JsonNode p, String field, String pointer, boolean absolute) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        BigDecimal n = number(v);
        if (n != null && absolute) {
            n = n.abs();
        }
        if (n == null || n.signum() < 0 || n.compareTo(new BigDecimal("9999999999999999")) > 0) {
            throw SiyuException.badRequest("invalid-amount", pointer, v.toString());
        }
        return n.setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal number(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isString()) {
            try {
                return new BigDecimal(v.stringValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(JsonNode v) {
        return v != null && (v.isString() || v.isNumber()) ? v.asString() : null;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
