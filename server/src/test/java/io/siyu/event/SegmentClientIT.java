package io.siyu.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Segment's own Java library, pointed at Siyu, delivers identify, track and an order. */
class SegmentClientIT extends TrackingTest {

    @Autowired
    EventProcessing processing;

    @Test
    void segmentsJavaLibraryDeliversIdentifyTrackAndOrderCompleted() throws Exception {
        String user = unique("u");
        String email = unique("seg") + "@example.com";
        String order = unique("order");
        CountDownLatch delivered = new CountDownLatch(3);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Analytics analytics = Analytics.builder(writeKey())
                .endpoint("http://127.0.0.1:" + port)
                .flushQueueSize(10)
                .retries(1)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        delivered.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(throwable);
                        delivered.countDown();
                    }
                })
                .build();
        try {
            analytics.enqueue(IdentifyMessage.builder().userId(user)
                    .traits(Map.of("name", "Segment User", "email", email)));
            analytics.enqueue(TrackMessage.builder("Product Viewed").userId(user)
                    .properties(Map.of("product_id", "p-7", "price", 12.5)));
            analytics.enqueue(TrackMessage.builder("Order Completed").userId(user).properties(Map.of(
                    "order_id", order, "total", 25.0, "currency", "CNY",
                    "products", List.of(Map.of("product_id", "p-7", "price", 12.5, "quantity", 2)))));
            analytics.flush();
            assertThat(delivered.await(30, TimeUnit.SECONDS)).as("the client heard back").isTrue();
        } finally {
            analytics.shutdown();
        }
        assertThat(failures).isEmpty();

        String id = customerId("external_id", user);
        assertThat(id).isNotNull();
        assertThat(customerId("email", email)).isEqualTo(id);
        assertThat(events(id)).extracting(e -> e.path("name").asString(e.get("type").asString()))
                .containsExactlyInAnyOrder("identify", "Product Viewed", "Order Completed");
        JsonNode o = admin().get("/api/v1/customers/" + id + "/orders").body().get("items").get(0);
        assertThat(o.get("orderId").asString()).isEqualTo(order);
        assertThat(o.get("total").decimalValue()).isEqualByComparingTo("25");
        processing.drain();
        assertThat(admin().get("/api/v1/customers/" + id + "/aggregates").body().get("ordersCount").asInt()).isEqualTo(1);
    }
}
