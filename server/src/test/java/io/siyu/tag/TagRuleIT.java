package io.siyu.tag;

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
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class TagRuleIT extends ApiTest {

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
        return operator.post("/api/v1/tags", Map.of("groupId", group.str("/id"), "name", "t")).str("/id");
    }

    private String customer() {
        return operator.post("/api/v1/customers/identify", Map.of("identities",
                List.of(Map.of("type", "anonymous_id", "value", UUID.randomUUID().toString())))).str("/customerId");
    }

    private Map<String, String> held(String customer) {
        Map<String, String> bySource = new java.util.HashMap<>();
        operator.get("/api/v1/customers/" + customer + "/tags").body().at("/items").valueStream()
                .forEach(t -> bySource.put(t.get("tagId").asString(), t.get("source").asString()));
        return bySource;
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

    private Api.Res finished(Api.Res started) {
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        var job = operator.get("/api/v1/jobs/" + started.str("/id"));
        for (int i = 0; i < 300 && !job.str("/status").equals("succeeded"); i++) {
            assertThat(job.str("/status")).as(job.toString()).isIn("queued", "running");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            job = operator.get("/api/v1/jobs/" + started.str("/id"));
        }
        assertThat(job.str("/status")).isEqualTo("succeeded");
        return job;
    }

    @Test
    void aRuleTagsCustomersWhileItHoldsAndLeavesManualTagsAlone() {
        String mum = tag();
        String target = tag();
        String before = customer();
        operator.post("/api/v1/customers/" + before + "/tags", Map.of("tagId", mum));

        var bad = operator.post("/api/v1/tag-rules", Map.of("name", "r-" + UUID.randomUUID(), "tagId", target,
                "rule", Map.of("version", 1, "rule", Map.of("tags", List.of(mum), "op", "has_sometimes"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().at("/errors/0/pointer").asString()).isEqualTo("/rule/rule/op");

        var created = operator.post("/api/v1/tag-rules", Map.of("name", "r-" + UUID.randomUUID(), "tagId", target,
                "removeWhenUnmatched", true, "rule", Map.of("version", 1, "rule", Map.of("tags", List.of(mum), "op", "has"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        // applied to everyone at once
        await("the existing customer to be tagged", () -> "rule".equals(held(before).get(target)));

        // then follows behaviour
        String later = customer();
        operator.post("/api/v1/customers/" + later + "/tags", Map.of("tagId", mum));
        await("the new customer to be tagged", () -> "rule".equals(held(later).get(target)));
        operator.delete("/api/v1/customers/" + later + "/tags/" + mum);
        await("the tag to be taken away again", () -> !held(later).containsKey(target));

        // a tag given by hand is not the rule's to take
        String manual = customer();
        operator.post("/api/v1/customers/" + manual + "/tags", Map.of("tagId", target));
        operator.post("/api/v1/customers/" + manual + "/tags", Map.of("tagId", mum));
        operator.delete("/api/v1/customers/" + manual + "/tags/" + mum);
        var applied = finished(operator.post("/api/v1/tag-rules/" + created.str("/id") + "/apply", Map.of()));
        assertThat(applied.body().at("/result/removed").asInt()).isZero();
        assertThat(held(manual).get(target)).isEqualTo("manual");

        String unused = tag();
        String given = tag();
        var idle = operator.post("/api/v1/tag-rules", Map.of("name", "idle-" + UUID.randomUUID(), "tagId", given,
                "rule", Map.of("version", 1, "rule", Map.of("tags", List.of(unused), "op", "has"))));
        var delete = operator.delete("/api/v1/tags/" + given);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.str("/code")).isEqualTo("tag-has-rules");
        assertThat(operator.delete("/api/v1/tag-rules/" + idle.str("/id")).status()).isEqualTo(204);
        assertThat(operator.delete("/api/v1/tags/" + given).status()).isEqualTo(204);
        assertThat(operator.delete("/api/v1/tag-rules/" + created.str("/id")).status()).isEqualTo(204);
        assertThat(operator.get("/api/v1/tag-rules/" + created.str("/id")).status()).isEqualTo(404);
    }

    @Test
    void viewingANamedPageTagsTheCustomer() {
        String kids = tag();
        var rule = operator.post("/api/v1/tag-rules", Map.of("name", "kids-" + UUID.randomUUID(), "tagId", kids,
                "rule", Map.of("version", 1, "rule", Map.of("event", "page:儿童家具", "op", "performed",
                        "within", Map.of("lastDays", 30)))));
        assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
        String key = admin().post("/api/v1/write-keys", Map.of("name", "kids-" + UUID.randomUUID())).str("/key");
        Api tracker = api().basic(key, "");
        String user = "u-" + UUID.randomUUID();
        assertThat(tracker.post("/v1/page", Map.of("userId", user, "name", "首页")).status()).isEqualTo(200);
        assertThat(tracker.post("/v1/page", Map.of("userId", user, "name", "儿童家具")).status()).isEqualTo(200);
        String other = "u-" + UUID.randomUUID();
        assertThat(tracker.post("/v1/page", Map.of("userId", other, "name", "首页")).status()).isEqualTo(200);
        processing.drain();
        String customer = lookup(user);
        String bystander = lookup(other);
        await("the page viewer to be tagged", () -> "rule".equals(held(customer).get(kids)));
        assertThat(held(bystander)).doesNotContainKey(kids);
    }

    @Test
    void readingAnArticleOfACategoryForThreeMinutesTagsTheCustomer() {
        // the example: "read an article of category X for >= 3 minutes" -> 抗衰老需求
        String antiAgeing = tag();
        var rule = operator.post("/api/v1/tag-rules", Map.of("name", "抗衰老需求-" + UUID.randomUUID(), "tagId", antiAgeing,
                "rule", Map.of("version", 1, "rule", Map.of("event", "Article Read", "op", "performed",
                        "within", Map.of("lastDays", 30), "where", List.of(
                                Map.of("property", "article.category", "op", "eq", "value", "抗衰老"),
                                Map.of("property", "duration_seconds", "op", "gte", "value", 180))))));
        assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
        assertThat(rule.body().at("/rule/rule/where/1/value").asInt()).isEqualTo(180);
        String key = admin().post("/api/v1/write-keys", Map.of("name", "reader-" + UUID.randomUUID())).str("/key");
        Api tracker = api().basic(key, "");
        String reader = "u-" + UUID.randomUUID();
        String skimmer = "u-" + UUID.randomUUID();
        String other = "u-" + UUID.randomUUID();
        track(tracker, reader, Map.of("article", Map.of("category", "抗衰老", "id", "a1"), "duration_seconds", 185.5));
        track(tracker, skimmer, Map.of("article", Map.of("category", "抗衰老", "id", "a1"), "duration_seconds", 40));
        track(tracker, skimmer, Map.of("article", Map.of("category", "抗衰老", "id", "a2"), "duration_seconds", "600"));
        track(tracker, other, Map.of("article", Map.of("category", "育儿", "id", "a3"), "duration_seconds", 900));
        processing.drain();
        String readerId = lookup(reader);
        await("the reader to be tagged", () -> "rule".equals(held(readerId).get(antiAgeing)));
        assertThat(held(lookup(skimmer))).as("40 s, and a duration sent as text, do not count")
                .doesNotContainKey(antiAgeing);
        assertThat(held(lookup(other))).doesNotContainKey(antiAgeing);

        // a skimmer who later reads long enough is tagged as the event arrives
        track(tracker, skimmer, Map.of("article", Map.of("category", "抗衰老", "id", "a4"), "duration_seconds", 240));
        processing.drain();
        String skimmerId = lookup(skimmer);
        await("the skimmer to be tagged after a long read", () -> "rule".equals(held(skimmerId).get(antiAgeing)));
    }

    private void track(Api tracker, String userId, Map<String, Object> properties) {
        var res = tracker.post("/v1/track", Map.of("userId", userId, "event", "Article Read", "properties", properties));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
    }

    private String lookup(String userId) {
        var res = operator.get("/api/v1/customers/lookup?type=external_id&value=" + userId);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.str("/id");
    }

    @Test
    void aTagGoesToAWholeSegmentOrACsvList() {
        String marker = tag();
        String reward = tag();
        String a = customer();
        String b = customer();
        operator.post("/api/v1/customers/" + a + "/tags", Map.of("tagId", marker));
        operator.post("/api/v1/customers/" + b + "/tags", Map.of("tagId", marker));
        var segment = operator.post("/api/v1/segments", Map.of("name", "s-" + UUID.randomUUID(), "kind", "static",
                "rule", Map.of("version", 1, "rule", Map.of("tags", List.of(marker), "op", "has"))));
        assertThat(segment.status()).as(segment.toString()).isEqualTo(201);
        var job = finished(operator.post("/api/v1/tags/" + reward + "/assign-segment",
                Map.of("segmentId", segment.str("/id"))));
        assertThat(job.body().at("/result/added").asInt()).isEqualTo(2);
        assertThat(held(a).get(reward)).isEqualTo("manual");
        assertThat(operator.post("/api/v1/tags/" + reward + "/assign-segment", Map.of("segmentId", "999999999"))
                .body().at("/errors/0/pointer").asString()).isEqualTo("/segmentId");

        String vip = tag();
        String csv = "customer_id\n" + a + "\n" + b + "\n" + a + "\n987654321\n";
        var res = operator.upload("/api/v1/tags/" + vip + "/assign-csv", "file", "vip.csv",
                csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().at("/rows").asInt()).isEqualTo(4);
        assertThat(res.body().at("/added").asInt()).isEqualTo(2);
        assertThat(res.body().at("/unmatched").asInt()).isEqualTo(1);
        assertThat(held(b).get(vip)).isEqualTo("import");
        var wrong = operator.upload("/api/v1/tags/" + vip + "/assign-csv", "file", "x.csv",
                "phone\n1\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(wrong.body().at("/errors/0/code").asString()).isEqualTo("tag-csv-columns");
    }
}
