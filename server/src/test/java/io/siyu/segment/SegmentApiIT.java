package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.event.EventProcessing;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestUsers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class SegmentApiIT extends ApiTest {

    @Autowired
    DSLContext db;

    @Autowired
    EventProcessing processing;

    private Api operator;

    @BeforeEach
    void setUp() {
        operator = api().basic(TestUsers.create(db, "operator"), TestUsers.PASSWORD);
    }

    private String tag() {
        var group = operator.post("/api/v1/tag-groups", Map.of("name", "g-" + UUID.randomUUID()));
        var res = operator.post("/api/v1/tags", Map.of("groupId", group.str("/id"), "name", "t"));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.str("/id");
    }

    private String customer(String phone) {
        List<Map<String, String>> ids = phone == null
                ? List.of(Map.of("type", "anonymous_id", "value", UUID.randomUUID().toString()))
                : List.of(Map.of("type", "phone", "value", phone));
        return operator.post("/api/v1/customers/identify", Map.of("identities", ids)).str("/customerId");
    }

    private void give(String customer, String tag) {
        assertThat(operator.post("/api/v1/customers/" + customer + "/tags", Map.of("tagId", tag)).status()).isEqualTo(200);
    }

    private static Map<String, Object> doc(Map<String, Object> rule) {
        return Map.of("version", 1, "rule", rule);
    }

    private static Map<String, Object> has(String... tags) {
        return Map.of("tags", List.of(tags), "op", "has_any");
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            processing.drain();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private JsonNode events(String customer) {
        return operator.get("/api/v1/customers/" + customer + "/events").body().at("/items");
    }

    private List<String> names(String customer) {
        return events(customer).valueStream().map(e -> e.get("name").asString()).toList();
    }

    @Test
    void invalidRulesPointAtTheOffendingNode() {
        var res = operator.post("/api/v1/segments/validate", doc(Map.of("and", List.of(
                Map.of("attribute", "city", "op", "eq", "value", "上海"),
                Map.of("attribute", "shoe_size", "op", "eq", "value", 42),
                Map.of("attribute", "city", "op", "gt", "value", "x"),
                Map.of("event", "Product Viewed", "op", "count_gte", "value", -1, "within", Map.of("lastDays", 30)),
                Map.of("tags", List.of("999999999"), "op", "has_any"),
                Map.of("purchase", "total_spent", "op", "gte", "value", 1.234)))));
        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        assertThat(res.str("/code")).isEqualTo("invalid-rule");
        List<String> pointers = res.body().at("/errors").valueStream().map(e -> e.get("pointer").asString()).toList();
        assertThat(pointers).containsExactly("/rule/and/1/attribute", "/rule/and/2/op", "/rule/and/3/value",
                "/rule/and/4/tags/0", "/rule/and/5/value");
        assertThat(res.body().at("/errors/0/code").asString()).isEqualTo("rule-unknown-field");
        assertThat(res.body().at("/errors/0/message").asString()).contains("shoe_size");

        var en = operator.lang("en").post("/api/v1/segments/validate", doc(Map.of("not", Map.of("bucket", List.of(5, 2)))));
        assertThat(en.str("/title")).isEqualTo("Invalid rule");
        assertThat(en.body().at("/errors/0/pointer").asString()).isEqualTo("/rule/not/bucket");

        Map<String, Object> deep = Map.of("attribute", "city", "op", "exists");
        for (int i = 0; i < 11; i++) {
            deep = Map.of("not", deep);
        }
        var tooDeep = operator.post("/api/v1/segments/validate", doc(deep));
        assertThat(tooDeep.body().at("/errors/0/code").asString()).isEqualTo("rule-too-deep");

        var ok = operator.post("/api/v1/segments/validate", doc(Map.of("event", "$interaction", "op", "count_gte",
                "value", 5, "within", Map.of("lastDays", 30))));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.body().at("/rule/rule/within/lastDays").asInt()).isEqualTo(30);
    }

    @Test
    void eventPropertyFiltersAreCheckedAndCountedAlikeByBothEvaluators() {
        var bad = operator.post("/api/v1/segments/validate", doc(Map.of("and", List.of(
                Map.of("event", "$interaction", "op", "performed", "where",
                        List.of(Map.of("property", "x", "op", "exists"))),
                Map.of("event", "Coupon Used", "op", "performed", "where", List.of(
                        Map.of("property", "amount", "op", "gt", "value", "ten"),
                        Map.of("property", "items.0", "op", "exists"),
                        Map.of("property", "code", "op", "in", "values", List.of("A", 1)),
                        Map.of("property", "code", "op", "between", "values", List.of(5, 1)),
                        Map.of("property", "paid", "op", "contains", "value", true)))))));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.body().at("/errors").valueStream().map(e -> e.get("pointer").asString() + " "
                + e.get("code").asString()).toList()).containsExactly(
                "/rule/and/0/where rule-filter-needs-event",
                "/rule/and/1/where/0/value rule-expected-type",
                "/rule/and/1/where/1/property rule-invalid-property",
                "/rule/and/1/where/2/values/1 rule-expected-type",
                "/rule/and/1/where/3/values rule-range-reversed",
                "/rule/and/1/where/4/value rule-expected-type");
        var en = operator.lang("en").post("/api/v1/segments/validate", doc(Map.of("event", "$interaction",
                "op", "performed", "where", List.of(Map.of("property", "x", "op", "exists")))));
        assertThat(en.body().at("/errors/0/message").asString()).contains("$interaction", "name the event");

        String key = admin().post("/api/v1/write-keys", Map.of("name", "coupons-" + UUID.randomUUID())).str("/key");
        Api tracker = api().basic(key, "");
        String coupon = "Coupon Used " + UUID.randomUUID();
        String big = "u-" + UUID.randomUUID();
        String small = "u-" + UUID.randomUUID();
        String text = "u-" + UUID.randomUUID();
        for (var sent : List.of(List.of(big, 120), List.of(big, 80), List.of(small, 20), List.of(text, "150"))) {
            var res = tracker.post("/v1/track", Map.of("userId", sent.get(0), "event", coupon,
                    "properties", Map.of("amount", sent.get(1), "campaign", Map.of("code", "双11"))));
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
        }
        processing.drain();
        Map<String, Object> rule = Map.of("event", coupon, "op", "count_gte", "value", 1,
                "within", Map.of("lastDays", 7), "where", List.of(
                        Map.of("property", "amount", "op", "gte", "value", 100),
                        Map.of("property", "campaign.code", "op", "starts_with", "value", "双")));
        await("the preview to see the big spender only", () -> {
            JsonNode p = operator.post("/api/v1/segments/preview", doc(rule)).body();
            return p.at("/count").asInt() == 1;
        });
        var preview = operator.post("/api/v1/segments/preview", doc(rule));
        String bigId = operator.get("/api/v1/customers/lookup?type=external_id&value=" + big).str("/id");
        assertThat(preview.str("/sample/0/customerId")).isEqualTo(bigId);
        assertThat(preview.body().at("/explain/kind").asString()).isEqualTo("event");

        var saved = operator.post("/api/v1/segments", Map.of("name", "coupon-" + UUID.randomUUID(), "rule", doc(rule)));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        assertThat(saved.body().at("/rule/rule/where/1/property").asString()).isEqualTo("campaign.code");
        String id = saved.str("/id");
        assertThat(operator.get("/api/v1/segments/" + id + "/count?engine=sql").body().at("/count").asInt()).isEqualTo(1);
        assertThat(operator.get("/api/v1/segments/" + id + "/count?engine=bitmap").body().at("/count").asInt()).isEqualTo(1);

        // the other count operators on the same events: never used a coupon of 100 or more
        Map<String, Object> none = Map.of("event", coupon, "op", "not_performed", "where",
                List.of(Map.of("property", "amount", "op", "gte", "value", 100)));
        Map<String, Object> either = Map.of("and", List.of(Map.of("event", coupon, "op", "performed"), none));
        var sqlNone = operator.post("/api/v1/segments", Map.of("name", "none-" + UUID.randomUUID(), "rule", doc(either)));
        assertThat(operator.get("/api/v1/segments/" + sqlNone.str("/id") + "/count?engine=sql").body().at("/count")
                .asInt()).isEqualTo(2);
        assertThat(operator.get("/api/v1/segments/" + sqlNone.str("/id") + "/count?engine=bitmap").body().at("/count")
                .asInt()).isEqualTo(2);
    }

    @Test
    void previewCountsSamplesAndExplains() {
        String a = tag();
        String b = tag();
        String c1 = customer(null);
        String c2 = customer(null);
        String c3 = customer(null);
        give(c1, a);
        give(c2, a);
        give(c2, b);
        give(c3, b);
        Map<String, Object> rule = Map.of("and", List.of(has(a), Map.of("not", has(b))));
        await("the preview to see all four tags", () -> {
            JsonNode p = operator.post("/api/v1/segments/preview", doc(rule)).body();
            return p.at("/count").asInt() == 1 && p.at("/explain/children/0/count").asInt() == 2
                    && p.at("/explain/children/1/children/0/count").asInt() == 2;
        });
        var res = operator.post("/api/v1/segments/preview", Map.of("version", 1, "rule", rule, "sampleSize", 5));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().at("/count").asInt()).isEqualTo(1);
        assertThat(res.str("/sample/0/customerId")).isEqualTo(c1);
        assertThat(res.body().at("/explain/kind").asString()).isEqualTo("and");
        assertThat(res.body().at("/explain/children/0/pointer").asString()).isEqualTo("/rule/and/0");
        assertThat(res.body().at("/explain/children/0/count").asInt()).isEqualTo(2);
        assertThat(res.body().at("/explain/children/1/children/0/count").asInt()).isEqualTo(2);
        assertThat(res.body().at("/total").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(res.str("/engine")).isIn("bitmap", "sql");
    }

    @Test
    void aDynamicSegmentFollowsBehaviourWithEntryAndExitEvents() {
        String vip = tag();
        String c = customer(null);
        var created = operator.post("/api/v1/segments", Map.of("name", "vip-" + UUID.randomUUID(), "kind", "dynamic",
                "rule", doc(has(vip))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.str("/id");
        assertThat(created.body().at("/memberCount").asInt()).isZero();

        give(c, vip);
        await("the customer to enter", () -> operator.get("/api/v1/segments/" + id + "/members").body()
                .at("/items").valueStream().anyMatch(m -> m.get("customerId").asString().equals(c)));
        await("the entry event", () -> names(c).contains("Segment Entered"));
        JsonNode entered = events(c).valueStream().filter(e -> e.get("name").asString().equals("Segment Entered"))
                .findFirst().orElseThrow();
        assertThat(entered.at("/properties/segmentId").asString()).isEqualTo(id);
        assertThat(entered.at("/system").booleanValue()).isTrue();
        assertThat(operator.get("/api/v1/customers/" + c + "/segments").body().at("/items").valueStream()
                .map(s -> s.get("id").asString()).toList()).contains(id);
        assertThat(operator.get("/api/v1/segments/" + id).body().at("/memberCount").asInt()).isEqualTo(1);

        assertThat(operator.delete("/api/v1/customers/" + c + "/tags/" + vip).status()).isEqualTo(204);
        await("the exit event", () -> names(c).contains("Segment Exited"));
        assertThat(operator.get("/api/v1/segments/" + id + "/members").body().at("/items").size()).isZero();
        var sql = operator.get("/api/v1/segments/" + id + "/count?engine=sql");
        assertThat(sql.body().at("/count").asInt()).isZero();
        assertThat(sql.str("/engine")).isEqualTo("sql");
    }

    @Test
    void segmentsReferToSegmentsWithoutCycles() {
        String t = tag();
        var a = operator.post("/api/v1/segments", Map.of("name", "a-" + UUID.randomUUID(), "rule", doc(has(t))));
        var b = operator.post("/api/v1/segments", Map.of("name", "b-" + UUID.randomUUID(),
                "rule", doc(Map.of("segment", a.str("/id")))));
        assertThat(b.status()).as(b.toString()).isEqualTo(201);
        var cycle = operator.patch("/api/v1/segments/" + a.str("/id"), Map.of("rule", doc(Map.of("or", List.of(has(t),
                Map.of("segment", b.str("/id")))))));
        assertThat(cycle.status()).as(cycle.toString()).isEqualTo(400);
        assertThat(cycle.body().at("/errors/0/pointer").asString()).isEqualTo("/rule/rule/or/1/segment");
        assertThat(cycle.body().at("/errors/0/code").asString()).isEqualTo("rule-segment-cycle");
        var inUse = operator.delete("/api/v1/segments/" + a.str("/id"));
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.str("/code")).isEqualTo("segment-in-use");
        assertThat(operator.delete("/api/v1/segments/" + b.str("/id")).status()).isEqualTo(204);
        assertThat(operator.delete("/api/v1/segments/" + a.str("/id")).status()).isEqualTo(204);
        assertThat(operator.get("/api/v1/segments/" + a.str("/id")).status()).isEqualTo(404);
    }

    @Test
    void staticSegmentsSnapshotOrUploadAndExportIsAudited() {
        String t = tag();
        String c1 = customer("+8613800138001");
        String c2 = customer(null);
        give(c1, t);
        give(c2, t);
        var snap = operator.post("/api/v1/segments", Map.of("name", "snap-" + UUID.randomUUID(), "kind", "static",
                "rule", doc(has(t))));
        assertThat(snap.status()).as(snap.toString()).isEqualTo(201);
        assertThat(snap.body().at("/memberCount").asInt()).isEqualTo(2);
        // later changes do not move a snapshot
        operator.delete("/api/v1/customers/" + c2 + "/tags/" + t);
        assertThat(operator.get("/api/v1/segments/" + snap.str("/id") + "/members").body().at("/items").size()).isEqualTo(2);

        String csv = "identity_type,identity_value\nphone,13800138001\nphone,13900000000\n";
        var up = operator.upload("/api/v1/segments/upload?name=up-" + UUID.randomUUID(), "file", "list.csv",
                csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(up.status()).as(up.toString()).isEqualTo(201);
        assertThat(up.body().at("/rows").asInt()).isEqualTo(2);
        assertThat(up.body().at("/matched").asInt()).isEqualTo(1);
        assertThat(up.body().at("/unmatched").asInt()).isEqualTo(1);
        String uploaded = up.str("/segment/id");
        assertThat(up.str("/segment/kind")).isEqualTo("static");

        var wrong = operator.upload("/api/v1/segments/upload?name=bad-" + UUID.randomUUID(), "file", "x.csv",
                "foo,bar\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().at("/errors/0/code").asString()).isEqualTo("segment-upload-columns");

        Api staff = api().basic(TestUsers.create(db, "staff"), TestUsers.PASSWORD);
        assertThat(staff.get("/api/v1/segments/" + uploaded + "/export").status()).isEqualTo(403);
        Api analyst = api().basic(TestUsers.create(db, "analyst"), TestUsers.PASSWORD);
        var export = analyst.get("/api/v1/segments/" + uploaded + "/export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        List<String> lines = export.text().lines().toList();
        assertThat(lines.getFirst()).contains("customer_id,display_name");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith(c1 + ",");
        assertThat(db.fetchCount(db.selectOne().from(org.jooq.impl.DSL.table("audit_log"))
                .where(org.jooq.impl.DSL.field("action").eq("segment.export"))
                .and(org.jooq.impl.DSL.field("target_id").eq(uploaded)))).isEqualTo(1);
    }

    @Test
    void theBitmapEngineReportsItsLoadAndSizeAsMetrics() {
        String id = customer(null);
        await("the engine's first load", () -> metric("siyu_segment_engine_loads") >= 1);
        // a preview catches the engine up, so the new customer is in it
        var preview = operator.post("/api/v1/segments/preview", doc(Map.of("and", List.of())));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.str("/engine")).isEqualTo("bitmap");
        int total = preview.body().path("total").asInt();
        assertThat(total).isPositive();
        assertThat(metric("siyu_segment_engine_customers")).isEqualTo(total);
        assertThat(metric("siyu_segment_engine_bytes")).isPositive();
        assertThat(metric("siyu_segment_engine_loads")).isGreaterThanOrEqualTo(1);
        assertThat(metric("siyu_segment_engine_load_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(id).isNotNull();
    }

    /** A gauge's value from /actuator/prometheus, or -1 when it is not there. */
    private double metric(String name) {
        String text = api().get("/actuator/prometheus").text();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }
}
