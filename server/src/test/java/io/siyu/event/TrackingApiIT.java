package io.siyu.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class TrackingApiIT extends TrackingTest {

    @Autowired
    EventProcessing processing;

    @Autowired
    MeterRegistry meters;

    @Test
    void identifyTrackAndOrderLandOnOneCustomer() {
        var t = tracking(writeKey());
        String user = unique("u");
        String anon = unique("anon");
        String email = unique("m") + "@example.com";
        String order = unique("order");
        assertThat(t.post("/v1/identify", Map.of("userId", user, "anonymousId", anon,
                "traits", Map.of("name", "小红", "email", email, "plan", "gold"))).body().get("success").asBoolean())
                .isTrue();
        assertThat(t.post("/v1/track", Map.of("anonymousId", anon, "event", "Product Viewed",
                "properties", Map.of("product_id", "p1"))).status()).isEqualTo(200);
        assertThat(t.post("/v1/page", Map.of("userId", user, "name", "Home")).status()).isEqualTo(200);
        var completed = t.post("/v1/track", Map.of("userId", user, "event", "Order Completed", "properties", Map.of(
                "order_id", order, "total", 99.5, "revenue", 90, "discount", 9.5, "coupon", "WELCOME", "currency", "CNY",
                "products", List.of(Map.of("product_id", "p1", "sku", "S-1", "category", "Diapers", "name", "NB",
                        "price", 49.75, "quantity", 2)))));
        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);

        String id = customerId("external_id", user);
        assertThat(id).isNotNull();
        assertThat(customerId("email", email)).isEqualTo(id);
        assertThat(customerId("anonymous_id", anon)).isEqualTo(id);
        assertThat(admin().get("/api/v1/customers/" + id).str("/displayName")).isEqualTo("小红");
        List<JsonNode> events = events(id);
        assertThat(events).extracting(e -> e.get("type").asString())
                .containsExactlyInAnyOrder("identify", "track", "page", "track");
        assertThat(events).filteredOn(e -> "Order Completed".equals(e.path("name").asString())).hasSize(1);

        var orders = admin().get("/api/v1/customers/" + id + "/orders");
        JsonNode o = orders.body().get("items").get(0);
        assertThat(o.get("orderId").asString()).isEqualTo(order);
        assertThat(o.get("total").decimalValue()).isEqualByComparingTo("99.5");
        assertThat(o.get("products").get(0).get("sku").asString()).isEqualTo("S-1");
        // every field as sent, through the array insert on PostgreSQL
        assertThat(o.get("revenue").decimalValue()).isEqualByComparingTo("90");
        assertThat(o.get("discount").decimalValue()).isEqualByComparingTo("9.5");
        assertThat(o.get("coupon").asString()).isEqualTo("WELCOME");
        assertThat(o.get("currency").asString()).isEqualTo("CNY");
        assertThat(o.get("refundedAmount").decimalValue()).isEqualByComparingTo("0");
        JsonNode line = o.get("products").get(0);
        assertThat(line.get("productId").asString()).isEqualTo("p1");
        assertThat(line.get("category").asString()).isEqualTo("Diapers");
        assertThat(line.get("name").asString()).isEqualTo("NB");
        assertThat(line.get("price").decimalValue()).isEqualByComparingTo("49.75");
        assertThat(line.get("quantity").asInt()).isEqualTo(2);

        processing.drain();
        var aggregates = admin().get("/api/v1/customers/" + id + "/aggregates");
        assertThat(aggregates.body().get("ordersCount").asInt()).isEqualTo(1);
        assertThat(aggregates.body().get("totalSpent").decimalValue()).isEqualByComparingTo("99.5");
        assertThat(aggregates.body().get("eventsCount").asLong()).isEqualTo(4);

        var refund = t.post("/v1/track", Map.of("userId", user, "event", "Order Refunded",
                "properties", Map.of("order_id", order, "total", 20)));
        assertThat(refund.status()).isEqualTo(200);
        var after = admin().get("/api/v1/customers/" + id + "/orders").body().get("items").get(0);
        assertThat(after.get("status").asString()).isEqualTo("partially_refunded");
        assertThat(after.get("refundedAmount").decimalValue()).isEqualByComparingTo("20");
    }

    /**
     * A returning person's identify, whose identities the tracking API remembers from the first one
     * (its identity cache: they are not looked up again), applies its traits to that customer; once the
     * customer is erased, the same identities make a new customer.
     */
    @Test
    void aReturningPersonsTraitsReachTheRememberedCustomer() {
        var t = tracking(writeKey());
        String user = unique("u");
        String email = unique("m") + "@example.com";
        assertThat(t.post("/v1/identify", Map.of("userId", user, "traits", Map.of("name", "First", "email", email)))
                .status()).isEqualTo(200);
        String id = customerId("external_id", user);
        assertThat(t.post("/v1/identify", Map.of("userId", user, "traits", Map.of("name", "Second", "email", email)))
                .status()).isEqualTo(200);
        assertThat(customerId("external_id", user)).isEqualTo(id);
        assertThat(admin().get("/api/v1/customers/" + id).str("/displayName")).isEqualTo("Second");
        assertThat(events(id)).hasSize(2);

        assertThat(admin().delete("/api/v1/customers/" + id).status()).isEqualTo(204);
        assertThat(t.post("/v1/identify", Map.of("userId", user, "traits", Map.of("name", "Third", "email", email)))
                .status()).isEqualTo(200);
        String next = customerId("external_id", user);
        assertThat(next).isNotNull().isNotEqualTo(id);
        assertThat(admin().get("/api/v1/customers/" + next).str("/displayName")).isEqualTo("Third");
    }

    @Test
    void aRepeatedMessageIdIsAcknowledgedAndStoredOnce() {
        var t = tracking(writeKey());
        String user = unique("u");
        double before = counter("siyu.tracking.duplicate");
        Map<String, Object> message = Map.of("userId", user, "event", "Coupon Claimed", "messageId", unique("msg"));
        assertThat(t.post("/v1/track", message).status()).isEqualTo(200);
        var again = t.post("/v1/track", message);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("success").asBoolean()).isTrue();
        assertThat(t.post("/v1/batch", Map.of("batch", List.of(Map.of("type", "track", "userId", user,
                "event", "Coupon Claimed", "messageId", message.get("messageId"))))).status()).isEqualTo(200);
        assertThat(events(customerId("external_id", user))).hasSize(1);
        assertThat(counter("siyu.tracking.duplicate") - before).isEqualTo(2);

        // another source may use the same message id for its own message
        var other = tracking(writeKey());
        assertThat(other.post("/v1/track", message).status()).isEqualTo(200);
        assertThat(events(customerId("external_id", user))).hasSize(2);
    }

    @Test
    void aWrongDeviceClockIsCorrectedBySentAt() {
        var t = tracking(writeKey());
        String user = unique("u");
        // the device believes it is 2031; the event happened 10 minutes before it was sent
        OffsetDateTime before = OffsetDateTime.now();
        assertThat(t.post("/v1/track", Map.of("userId", user, "event", "App Opened",
                "timestamp", "2031-01-01T10:00:00+08:00", "sentAt", "2031-01-01T10:10:00+08:00")).status())
                .isEqualTo(200);
        OffsetDateTime occurred = OffsetDateTime.parse(events(customerId("external_id", user)).getFirst()
                .get("occurredAt").asString());
        assertThat(occurred).isCloseTo(before.minusMinutes(10), within(30, ChronoUnit.SECONDS));

        String later = unique("u");
        assertThat(t.post("/v1/track", Map.of("userId", later, "event", "App Opened",
                "timestamp", "2026-01-02T03:04:05Z")).status()).isEqualTo(200);
        assertThat(OffsetDateTime.parse(events(customerId("external_id", later)).getFirst().get("occurredAt").asString())
                .toInstant()).as("without sentAt the timestamp stands").isEqualTo("2026-01-02T03:04:05Z");
    }

    @Test
    void gzipBodiesAreAcceptedAndLimitedAfterDecompression() throws Exception {
        String key = writeKey();
        String user = unique("u");
        var ok = gzip(key, "/v1/track", json.writeValueAsString(Map.of("userId", user, "event", "Zipped")));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(events(customerId("external_id", user))).extracting(e -> e.get("name").asString())
                .containsExactly("Zipped");

        String big = unique("u");
        var bomb = gzip(key, "/v1/track", json.writeValueAsString(Map.of("userId", big, "event", "Big",
                "properties", Map.of("blob", "a".repeat(40_000)))));
        assertThat(bomb.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bomb.body()).get("code").asString()).isEqualTo("payload-too-large");
        assertThat(customerId("external_id", big)).isNull();
    }

    @Test
    void aCallOver32KbIsRejectedAndNothingStored() {
        var t = tracking(writeKey());
        String user = unique("u");
        double before = counter("siyu.tracking.rejected", "code", "payload-too-large");
        var res = t.post("/v1/track", Map.of("userId", user, "event", "Big",
                "properties", Map.of("blob", "x".repeat(33 * 1024))));
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.str("/code")).isEqualTo("payload-too-large");
        assertThat(customerId("external_id", user)).isNull();
        assertThat(counter("siyu.tracking.rejected", "code", "payload-too-large") - before).isEqualTo(1);

        String inBatch = unique("u");
        var batch = t.post("/v1/batch", Map.of("batch", List.of(
                Map.of("type", "track", "userId", inBatch, "event", "Big", "properties", Map.of("blob", "y".repeat(33 * 1024))),
                Map.of("type", "track", "userId", inBatch, "event", "Small"))));
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.body().at("/rejected/0/code").asString()).isEqualTo("message-too-large");
        assertThat(events(customerId("external_id", inBatch))).hasSize(1);
    }

    @Test
    void unknownOrMissingKeysAreRefused() {
        Map<String, Object> message = Map.of("userId", unique("u"), "event", "E");
        var wrong = tracking("siyu_wk_" + "A".repeat(43)).post("/v1/track", message);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.str("/code")).isEqualTo("invalid-write-key");
        assertThat(api().post("/v1/track", message).status()).isEqualTo(401);
        assertThat(admin().post("/v1/track", message).status()).as("a console password is no write key").isEqualTo(401);
        String revoked = writeKey();
        String id = admin().get("/api/v1/write-keys?limit=500").body().get("items").valueStream()
                .filter(k -> revoked.startsWith(k.get("prefix").asString())).findFirst().orElseThrow().get("id").asString();
        admin().post("/api/v1/write-keys/" + id + "/revoke", null);
        assertThat(tracking(revoked).post("/v1/track", message).status()).isEqualTo(401);
        assertThat(customerId("external_id", (String) message.get("userId"))).isNull();
    }

    @Test
    void badBodiesAreRefusedAndChangeNothing() {
        var t = tracking(writeKey());
        var broken = t.raw("POST", "/v1/track", "{\"userId\": \"u\", \"event\": ", "application/json");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.str("/code")).isEqualTo("malformed-json");
        String user = unique("u");
        var noName = t.post("/v1/track", Map.of("userId", user));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.str("/code")).isEqualTo("missing-event-name");
        var badTotal = t.post("/v1/track", Map.of("userId", user, "event", "Order Completed",
                "properties", Map.of("order_id", unique("o"), "total", "a lot")));
        assertThat(badTotal.str("/code")).isEqualTo("invalid-amount");
        assertThat(t.post("/v1/track", Map.of("userId", user, "event", "Order Completed",
                "properties", Map.of("total", 3))).str("/code")).isEqualTo("missing-order-id");
        assertThat(t.post("/v1/track", Map.of("event", "E")).str("/code")).isEqualTo("missing-identity");
        assertThat(customerId("external_id", user)).isNull();
    }

    @Test
    void aBatchStoresItsValidMessagesAndReportsTheOthers() {
        String key = writeKey();
        String user = unique("u");
        // analytics-java style: the key in the body, no Authorization header
        var res = api().post("/v1/import/", Map.of("writeKey", key, "sentAt", OffsetDateTime.now().toString(),
                "context", Map.of("library", Map.of("name", "test")),
                "batch", List.of(
                        Map.of("type", "identify", "userId", user, "traits", Map.of("name", "Li")),
                        Map.of("type", "track", "userId", user),
                        Map.of("type", "screen", "userId", user, "name", "Cart"),
                        Map.of("type", "group", "userId", user, "groupId", "family-1", "traits", Map.of("size", 3)))));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().get("success").asBoolean()).isTrue();
        assertThat(res.body().get("rejected")).hasSize(1);
        assertThat(res.body().at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(res.body().at("/rejected/0/code").asString()).isEqualTo("missing-event-name");
        assertThat(res.body().at("/rejected/0/message").asString()).isNotBlank();
        List<JsonNode> events = events(customerId("external_id", user));
        assertThat(events).extracting(e -> e.get("type").asString())
                .containsExactlyInAnyOrder("identify", "screen", "group");
        JsonNode group = events.stream().filter(e -> "group".equals(e.get("type").asString())).findFirst().orElseThrow();
        assertThat(group.at("/properties/groupId").asString()).isEqualTo("family-1");
        assertThat(group.at("/properties/traits/size").asInt()).isEqualTo(3);

        var notBatch = tracking(key).post("/v1/batch", Map.of("batch", "nope"));
        assertThat(notBatch.status()).isEqualTo(400);
        assertThat(notBatch.str("/code")).isEqualTo("invalid-batch");
    }

    @Test
    void aMessageRefusedByIdentityResolutionLeavesItsIdFreeForACorrectedRetry() {
        var t = tracking(writeKey());
        String user = unique("u");
        String refusedId = unique("msg");
        var first = t.post("/v1/batch", Map.of("batch", List.of(
                Map.of("type", "track", "userId", user, "event", "Kept", "messageId", unique("msg")),
                Map.of("type", "track", "event", "Refused", "messageId", refusedId,
                        "context", Map.of("traits", Map.of("phone", "not-a-phone"))))));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().at("/rejected/0/index").asInt()).isEqualTo(1);
        // the same message id, corrected, is a new message rather than a duplicate of the refused one
        var retry = t.post("/v1/batch", Map.of("batch", List.of(
                Map.of("type", "track", "userId", user, "event", "Refused", "messageId", refusedId))));
        assertThat(retry.body().get("rejected")).isNull();
        assertThat(events(customerId("external_id", user))).extracting(e -> e.get("name").asString())
                .containsExactlyInAnyOrder("Kept", "Refused");
    }

    @Test
    void aliasMergesTheAnonymousVisitorIntoTheUser() {
        var t = tracking(writeKey());
        String anon = unique("anon");
        String user = unique("u");
        assertThat(t.post("/v1/t", Map.of("anonymousId", anon, "event", "Product Viewed")).status()).isEqualTo(200);
        assertThat(t.post("/v1/i", Map.of("userId", user, "traits", Map.of("name", "Han Meimei"))).status())
                .isEqualTo(200);
        String visitor = customerId("anonymous_id", anon);
        String member = customerId("external_id", user);
        assertThat(visitor).isNotEqualTo(member);

        var alias = t.post("/v1/alias", Map.of("previousId", anon, "userId", user));
        assertThat(alias.status()).as(alias.toString()).isEqualTo(200);
        String merged = customerId("anonymous_id", anon);
        assertThat(merged).isEqualTo(customerId("external_id", user));
        assertThat(events(merged)).extracting(e -> e.get("type").asString())
                .containsExactlyInAnyOrder("track", "identify", "alias", "system");

        // the survivor's aggregates count every event the merge moved to it and what came after
        assertThat(t.post("/v1/t", Map.of("anonymousId", anon, "event", "Product Viewed")).status()).isEqualTo(200);
        processing.drain();
        var aggregates = admin().get("/api/v1/customers/" + merged + "/aggregates");
        assertThat(aggregates.body().get("eventsCount").asLong()).isEqualTo(events(merged).size()).isEqualTo(5);
    }

    private double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private HttpResponse<String> gzip(String key, String path, String body) throws IOException, InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(body.getBytes(StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void identifyTraitsNamedLikeDefinedAttributesBecomeAttributes() throws InterruptedException {
        String attr = "tier" + unique("x").replaceAll("[^A-Za-z0-9]", "");
        assertThat(admin().post("/api/v1/attribute-definitions", Map.of("name", attr, "type", "string")).status())
                .isEqualTo(201);
        var t = tracking(writeKey());
        String user = unique("u");
        String tier = null;
        // the tracking API reads the attribute schema through a cache of a few seconds
        for (int attempt = 0; attempt < 40 && tier == null; attempt++) {
            assertThat(t.post("/v1/identify", Map.of("userId", user, "messageId", unique("m"),
                    "traits", Map.of(attr, "gold", "unrelated", 3))).status()).isEqualTo(200);
            tier = admin().get("/api/v1/customers/" + customerId("external_id", user)).str("/attributes/" + attr);
            if (tier == null) {
                Thread.sleep(250);
            }
        }
        assertThat(tier).isEqualTo("gold");
    }
}
