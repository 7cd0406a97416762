package io.siyu.customer.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A typed value of one custom attribute of one customer: String, BigDecimal, Boolean or LocalDate. */
record AttributeValue(String name, Object value, OffsetDateTime updatedAt) {

    @SuppressWarnings({"unchecked", "rawtypes"})
    int compareTo(AttributeValue other) {
        return ((Comparable) value).compareTo(other.value);
    }

    Object json() {
        return switch (value) {
            case BigDecimal n -> n.stripTrailingZeros().scale() <= 0 ? n.toBigIntegerExact() : n.stripTrailingZeros();
            case LocalDate d -> d.toString();
            default -> value;
        };
    }
}
