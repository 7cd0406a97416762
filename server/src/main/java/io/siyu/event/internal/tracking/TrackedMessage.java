package io.siyu.event.internal.tracking;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.IdentityInput;
import io.siyu.event.OrderFacts;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One tracking message, checked and mapped to what Siyu stores: the identities it resolves by, the
 * profile traits it carries, the event and, for e-commerce events, the order change.
 *
 * @param previousId  for alias: the id the customer was known by before; null otherwise
 * @param occurredAt  clock-skew corrected
 * @param properties  JSON object text stored as the event's properties
 * @param context     JSON object text stored as the event's context; may be null
 */
record TrackedMessage(String type, String name, String messageId, List<IdentityInput> identities, String previousId,
        CustomerTraits traits, OffsetDateTime occurredAt, String properties, String context, Commerce commerce) {

    TrackedMessage {
        identities = List.copyOf(identities);
    }

    /** What an event does to orders. */
    sealed interface Commerce {
    }

    /** Not an order event. */
    record NoOrder() implements Commerce {
    }

    /** {@code Order Completed}. */
    record Completed(OrderFacts order) implements Commerce {
    }

    /** {@code Order Refunded}: {@code amount} refunded, the whole order when null. */
    record Refunded(String orderId, BigDecimal amount) implements Commerce {
    }
}
