package io.siyu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.event.EventProcessing;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestUsers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class LayerPolicyIT extends ApiTest {

    @Autowired
    EventProcessing processing;

    @Autowired
    DSLContext db;

    @Autowired
    Layers layers;

    private String writeKey;

    // ---- helpers

    private Api tracking() {
        if (writeKey == null) {
            var created = admin().post("/api/v1/write-keys", Map.of("name", "layer-it-" + UUID.randomUUID()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            writeKey = created.str("/key");
        }
        return api().basic(writeKey, "");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A customer who did {@code event} {@code times} times (at {@code at}, or now); returns the customer id. */
    private String customer(String user, String event, int times, OffsetDateTime at) {
        for (int i = 0; i < times; i++) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("userId", user);
            message.put("event", event);
            if (at != null) {
                message.put("timestamp", at.toString());
            }
            var res = tracking().post("/v1/track", message);
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
        }
        var found = admin().get("/api/v1/customers/lookup?type=external_id&value="
                + URLEncoder.encode(user, StandardCharsets.UTF_8));
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        return found.str("/id");
    }

    private void order(String user, double total) {
        var res = tracking().post("/v1/track", Map.of("userId", user, "event", "Order Completed",
                "properties", Map.of("order_id", unique("o"), "total", total, "currency", "CNY")));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
    }

    private static Map<String, Object> layer(String key, String name, Object rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("name", name);
        m.put("nameEn", key);
        if (rule != null) {
            m.put("rule", rule);
        }
        m.put("contactPolicy", Map.of("maxPerDay", 1, "maxPerWeek", 2, "maxPerMonth", 6,
                "preferredChannels", List.of("wecom", "sms"), "allowedHours", List.of("07:00-09:00", "20:00-22:00")));
        m.put("benefits", List.of("专属折扣"));
        return m;
    }

    private static Map<String, Object> times(String event, int n) {
        return Map.of("event", event, "op", "count_gte", "value", n, "within", Map.of("lastDays", 30));
    }

    private void awaitJob(Api.Res started) throws InterruptedException {
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        var job = admin().get("/api/v1/jobs/" + started.str("/id"));
        for (int i = 0; i < 300 && !job.str("/status").equals("succeeded"); i++) {
            assertThat(job.str("/status")).as(job.toString()).isIn("queued", "running");
            Thread.sleep(100);
            job = admin().get("/api/v1/jobs/" + started.str("/id"));
        }
        assertThat(job.str("/status")).as(job.toString()).isEqualTo("succeeded");
    }

    private String layerKey(String customerId, String policyId) {
        for (JsonNode l : admin().get("/api/v1/customers/" + customerId + "/layers").body().get("items")) {
            if (l.get("policyId").asString().equals(policyId)) {
                return l.get("key").asString();
            }
        }
        return null;
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(condition.get()).as(what).isTrue();
    }

    private List<JsonNode> layerEvents(String customerId) {
        var res = admin().get("/api/v1/customers/" + customerId + "/events?limit=500");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        res.body().get("items").forEach(e -> {
            if ("Layer Changed".equals(e.path("name").asString())) {
                out.add(e);
            }
        });
        return out;
    }

    // ---- tests

    @Test
    void aBadRuleIsRefusedWithAPointerIntoTheLayersRule() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("bad"));
        body.put("layers", List.of(layer("a", "甲", times("Liked", 2)),
                layer("b", "乙", Map.of("event", "Liked", "op", "sometimes"))));
        body.put("defaultLayer", layer("rest", "其他", null));
        var bad = admin().post("/api/v1/layer-policies", body);
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.str("/code")).isEqualTo("invalid-rule");
        assertThat(bad.body().get("errors").get(0).get("pointer").asString()).isEqualTo("/layers/1/rule/op");

        body.put("layers", List.of(layer("a", "甲", Map.of("and", List.of(Map.of("layers", List.of("1")))))));
        var layered = admin().post("/api/v1/layer-policies", body);
        assertThat(layered.status()).isEqualTo(400);
        assertThat(layered.body().get("errors").get(0).get("pointer").asString()).isEqualTo("/layers/0/rule/and/0/layers");
        assertThat(layered.body().get("errors").get(0).get("code").asString()).isEqualTo("layer-rule-refers-to-layers");

        Map<String, Object> ruledDefault = layer("rest", "其他", times("Liked", 1));
        body.put("layers", List.of(layer("a", "甲", times("Liked", 2)), layer("a", "乙", times("Liked", 1))));
        body.put("defaultLayer", ruledDefault);
        var twice = admin().lang("en").post("/api/v1/layer-policies", body);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body().get("errors").valueStream().map(e -> e.get("pointer").asString() + " "
                + e.get("code").asString()).toList())
                .contains("/layers/1/key layer-key-duplicate", "/defaultLayer/rule layer-default-has-rule");

        body.remove("defaultLayer");
        body.put("layers", List.of(layer("a", "甲", times("Liked", 2))));
        var noDefault = admin().post("/api/v1/layer-policies", body);
        assertThat(noDefault.body().get("errors").get(0).get("pointer").asString()).isEqualTo("/defaultLayer");

        Map<String, Object> badContact = layer("rest", "其他", null);
        badContact.put("contactPolicy", Map.of("maxPerDay", 5, "maxPerWeek", 2, "preferredChannels", List.of("fax"),
                "allowedHours", List.of("22:00-07:00")));
        body.put("defaultLayer", badContact);
        var contact = admin().post("/api/v1/layer-policies", body);
        assertThat(contact.body().get("errors").valueStream().map(e -> e.get("pointer").asString()).toList())
                .contains("/defaultLayer/contactPolicy", "/defaultLayer/contactPolicy/preferredChannels/0",
                        "/defaultLayer/contactPolicy/allowedHours/0");
    }

    @Test
    void customersAreLayeredFirstMatchWinsAndFollowTheirBehaviour() throws InterruptedException {
        String liked = unique("Liked");
        String fanUser = unique("fan");
        String buyerUser = unique("buyer");
        String fan = customer(fanUser, liked, 2, null);
        String buyer = customer(buyerUser, "Viewed", 1, null);
        order(buyerUser, 150);
        String other = customer(unique("other"), "Viewed", 1, null);
        processing.drain();

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("互动分层"));
        body.put("description", "测试");
        body.put("priority", 5);
        body.put("layers", List.of(layer("fans", "粉丝", times(liked, 2)),
                layer("buyers", "买家",
                        Map.of("purchase", "total_spent", "op", "gte", "value", 100, "within", Map.of("lastDays", 30)))));
        body.put("defaultLayer", layer("others", "其他", null));
        var created = admin().post("/api/v1/layer-policies", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        String policy = created.str("/id");
        assertThat(created.body().at("/layers/0/contactPolicy/allowedHours/1").asString()).isEqualTo("20:00-22:00");
        assertThat(created.body().at("/defaultLayer/rule").isMissingNode() || created.body().at("/defaultLayer/rule")
                .isNull()).isTrue();

        awaitJob(admin().post("/api/v1/layer-policies/" + policy + "/evaluate", Map.of()));
        assertThat(layerKey(fan, policy)).isEqualTo("fans");
        assertThat(layerKey(buyer, policy)).isEqualTo("buyers");
        assertThat(layerKey(other, policy)).isEqualTo("others");

        var mine = admin().get("/api/v1/customers/" + buyer + "/layers").body().get("items");
        JsonNode entry = mine.valueStream().filter(l -> l.get("policyId").asString().equals(policy)).findFirst()
                .orElseThrow();
        assertThat(entry.at("/contactPolicy/maxPerWeek").asInt()).isEqualTo(2);
        assertThat(entry.at("/contactPolicy/preferredChannels/0").asString()).isEqualTo("wecom");
        assertThat(entry.at("/benefits/0").asString()).isEqualTo("专属折扣");
        assertThat(layers.layersOf(Long.parseLong(buyer))).extracting(CustomerLayer::key).contains("buyers");
        assertThat(layers.contactPolicyOf(Long.parseLong(buyer))).isPresent();
        assertThat(layers.contactPolicyOf(Long.parseLong(buyer)).get().allows(java.time.LocalTime.of(8, 0))).isTrue();
        assertThat(layers.contactPolicyOf(Long.parseLong(buyer)).get().allows(java.time.LocalTime.of(12, 0))).isFalse();

        // the buyer starts liking: the segment engine tells us, and the buyer moves to the first matching layer
        customer(buyerUser, liked, 2, null);
        processing.drain();
        await(() -> "fans".equals(layerKey(buyer, policy)), "the buyer follows their events into fans");

        List<JsonNode> events = layerEvents(buyer);
        assertThat(events).extracting(e -> e.at("/properties/toKey").asString()).contains("buyers", "fans");
        JsonNode moved = events.stream().filter(e -> "fans".equals(e.at("/properties/toKey").asString())).findFirst()
                .orElseThrow();
        assertThat(moved.at("/properties/fromKey").asString()).isEqualTo("buyers");
        assertThat(moved.at("/properties/policyId").asString()).isEqualTo(policy);
        assertThat(moved.get("system").asBoolean()).isTrue();

        var distribution = admin().get("/api/v1/layer-policies/" + policy + "/distribution");
        assertThat(distribution.status()).isEqualTo(200);
        int total = 0;
        for (JsonNode l : distribution.body().get("layers")) {
            total += l.get("customers").asInt();
        }
        assertThat(total).isEqualTo(distribution.body().get("customers").asInt());
        assertThat(distribution.body().at("/layers/0/key").asString()).isEqualTo("fans");
        assertThat(distribution.body().at("/layers/0/customers").asInt()).isEqualTo(2);
        assertThat(distribution.body().at("/layers/2/defaultLayer").asBoolean()).isTrue();

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        var migration = admin().get("/api/v1/layer-policies/" + policy + "/migration?from=" + today.minusDays(1)
                + "&to=" + today);
        assertThat(migration.status()).as(migration.toString()).isEqualTo(200);
        assertThat(cell(migration.body(), null, "fans")).as("both fans entered today").isEqualTo(2);
        var sameDay = admin().get("/api/v1/layer-policies/" + policy + "/migration?from=" + today + "&to=" + today);
        assertThat(cell(sameDay.body(), "fans", "fans")).isEqualTo(2);
        assertThat(cell(sameDay.body(), "buyers", "fans")).isZero();
        assertThat(admin().get("/api/v1/layer-policies/" + policy + "/migration?from=" + today + "&to="
                + today.minusDays(1)).str("/code")).isEqualTo("invalid-date-range");

        // a stricter threshold, edited in place: the fan with two likes falls to the default layer
        var stale = admin().header("If-Match", "\"99\"").patch("/api/v1/layer-policies/" + policy,
                Map.of("description", "改"));
        assertThat(stale.status()).isEqualTo(412);
        String fansLayer = created.str("/layers/0/id");
        var edited = admin().header("If-Match", created.header("ETag")).patch("/api/v1/layer-policies/" + policy
                + "/layers/" + fansLayer, Map.of("rule", times(liked, 3)));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.str("/layers/0/id")).as("the layer keeps its id").isEqualTo(fansLayer);
        assertThat(edited.body().at("/layers/0/rule/value").asInt()).isEqualTo(3);
        assertThat(edited.header("ETag")).isEqualTo("\"2\"");
        await(() -> "others".equals(layerKey(fan, policy)), "the fan falls to the default layer after the edit");
        await(() -> "buyers".equals(layerKey(buyer, policy)), "the buyer's two likes no longer make a fan");
        assertThat(layerEvents(fan)).extracting(e -> e.at("/properties/toKey").asString()).contains("fans", "others");

        var badPatch = admin().patch("/api/v1/layer-policies/" + policy + "/layers/" + fansLayer,
                Map.of("rule", Map.of("layers", List.of(fansLayer))));
        assertThat(badPatch.status()).isEqualTo(400);
        assertThat(badPatch.body().get("errors").get(0).get("pointer").asString()).isEqualTo("/layers/0/rule/layers");

        assertThat(admin().delete("/api/v1/layer-policies/" + policy).status()).isEqualTo(204);
        assertThat(admin().get("/api/v1/layer-policies/" + policy).status()).isEqualTo(404);
        assertThat(layerKey(fan, policy)).isNull();
    }

    private static int cell(JsonNode migration, String fromKey, String toKey) {
        for (JsonNode c : migration.get("cells")) {
            String from = c.get("fromKey").isNull() ? null : c.get("fromKey").asString();
            String to = c.get("toKey").isNull() ? null : c.get("toKey").asString();
            if (java.util.Objects.equals(from, fromKey) && java.util.Objects.equals(to, toKey)) {
                return c.get("customers").asInt();
            }
        }
        return 0;
    }

    @Test
    void presetsLoadOnceAndPlaceCustomersAsTheSourceDocumentsSay() throws InterruptedException {
        var list = admin().get("/api/v1/layer-policies/presets");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("items").valueStream().map(p -> p.get("id").asString()).toList())
                .containsExactly("seed-000", "seed-001", "seed-002");
        assertThat(admin().lang("en").get("/api/v1/layer-policies/presets").body().at("/items/0/title").asString())
                .startsWith("Three layers");

        String coreUser = unique("core");
        String core = customer(coreUser, "Article Read", 5, null);
        order(coreUser, 80);
        String potential = customer(unique("potential"), "Article Read", 1, null);
        String sleeping = customer(unique("sleeping"), "Article Read", 1, OffsetDateTime.now().minusDays(60));
        processing.drain();

        var loaded = admin().post("/api/v1/layer-policies/presets/seed-000", Map.of());
        assertThat(loaded.status()).as(loaded.toString()).isEqualTo(201);
        String policy = loaded.str("/id");
        assertThat(loaded.str("/preset")).isEqualTo("seed-000");
        assertThat(loaded.body().get("layers").valueStream().map(l -> l.get("key").asString()).toList())
                .containsExactly("core", "potential");
        assertThat(loaded.str("/defaultLayer/key")).isEqualTo("sleeping");
        assertThat(loaded.body().at("/layers/0/contactPolicy/maxPerWeek").asInt()).isEqualTo(3);
        assertThat(loaded.body().at("/defaultLayer/contactPolicy/maxPerMonth").asInt()).isEqualTo(1);
        assertThat(loaded.body().at("/layers/0/benefits").valueStream().map(JsonNode::asString).toList())
                .containsExactly("新品试用", "专属折扣", "优先售后");

        var again = admin().post("/api/v1/layer-policies/presets/seed-000", Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.str("/code")).isEqualTo("layer-preset-loaded");
        assertThat(admin().post("/api/v1/layer-policies/presets/seed-999", Map.of()).status()).isEqualTo(404);

        awaitJob(admin().post("/api/v1/layer-policies/" + policy + "/evaluate", Map.of()));
        assertThat(layerKey(core, policy)).isEqualTo("core");
        assertThat(layerKey(potential, policy)).isEqualTo("potential");
        assertThat(layerKey(sleeping, policy)).isEqualTo("sleeping");

        for (String preset : List.of("seed-001", "seed-002")) {
            var other = admin().post("/api/v1/layer-policies/presets/" + preset, Map.of());
            assertThat(other.status()).as(other.toString()).isEqualTo(201);
            awaitJob(admin().post("/api/v1/layer-policies/" + other.str("/id") + "/evaluate", Map.of()));
        }
        String seed002 = admin().get("/api/v1/layer-policies/presets").body().get("items").get(2).get("policyId")
                .asString();
        assertThat(layerKey(potential, seed002)).as("created today, no order").isEqualTo("new");
        assertThat(layerKey(core, seed002)).as("bought ¥80 this year").isEqualTo("low_value");
        String seed001 = admin().get("/api/v1/layer-policies/presets").body().get("items").get(1).get("policyId")
                .asString();
        assertThat(layerKey(potential, seed001)).as("registered this month, no order").isEqualTo("new");

        var all = admin().get("/api/v1/layer-policies?limit=500");
        assertThat(all.body().get("items").valueStream().map(p -> p.get("id").asString()).toList())
                .contains(policy, seed001, seed002);
    }

    @Test
    void readersMayLookButOnlySchemaWritersMayChange() {
        String analyst = TestUsers.create(db, "analyst");
        Api reader = api().basic(analyst, TestUsers.PASSWORD);
        assertThat(reader.get("/api/v1/layer-policies").status()).isEqualTo(200);
        assertThat(reader.get("/api/v1/layer-policies/presets").status()).isEqualTo(200);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("x"));
        body.put("defaultLayer", layer("rest", "其他", null));
        assertThat(reader.post("/api/v1/layer-policies", body).status()).isEqualTo(403);
        assertThat(reader.post("/api/v1/layer-policies/presets/seed-000", Map.of()).status()).isEqualTo(403);
    }
}
