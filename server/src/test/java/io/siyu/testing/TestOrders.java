package io.siyu.testing;

import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.event.OrderFacts;
import io.siyu.event.Orders;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;

/** Orders written as the {@link Orders} contract asks: the order and its event in one transaction. */
public final class TestOrders {

    private TestOrders() {
    }

    public static void completed(TransactionTemplate tx, Orders orders, EventLog log, long customerId, String orderId,
            BigDecimal total, OffsetDateTime at) {
        tx.executeWithoutResult(s -> {
            orders.recordCompleted(customerId, new OrderFacts(orderId, total, null, null, null, null, at, List.of()));
            log.append(List.of(new NewEvent(customerId, "track", "Order Completed", orderId, null, at,
                    OffsetDateTime.now(), false, "{\"order_id\":\"" + orderId + "\",\"total\":" + total + "}", null)));
        });
    }
}
