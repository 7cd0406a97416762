package io.siyu.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/** Shared helpers of the tracking API tests: write keys, unique ids, reading a customer back. */
abstract class TrackingTest extends ApiTest {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 10_000_000);

    static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet() + "-" + ThreadLocalRandom.current().nextInt(1000);
    }

    /** A fresh write key, created by the admin as an operator would. */
    String writeKey() {
        var created = admin().post("/api/v1/write-keys", Map.of("name", unique("source")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.str("/key");
    }

    /** A tracking client presenting {@code key} as Segment clients do. */
    Api tracking(String key) {
        return api().basic(key, "");
    }

    /** The id of the customer holding the identity, or null. */
    String customerId(String type, String value) {
        var found = admin().get("/api/v1/customers/lookup?type=" + type + "&value="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
        return found.status() == 404 ? null : found.str("/id");
    }

    List<JsonNode> events(String customerId) {
        var res = admin().get("/api/v1/customers/" + customerId + "/events?limit=500");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        res.body().get("items").forEach(items::add);
        return items;
    }
}
