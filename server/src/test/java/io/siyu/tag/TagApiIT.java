package io.siyu.tag;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.event.EventProcessing;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestUsers;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class TagApiIT extends ApiTest {

    @Autowired
    DSLContext db;

    @Autowired
    EventProcessing processing;

    private Api operator;

    @BeforeEach
    void setUp() {
        operator = api().basic(TestUsers.create(db, "operator"), TestUsers.PASSWORD);
    }

    private String group(String name, boolean exclusive) {
        var res = operator.post("/api/v1/tag-groups", Map.of("name", name + "-" + UUID.randomUUID(), "exclusive", exclusive));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.str("/id");
    }

    private String tag(String groupId, String name) {
        var res = operator.post("/api/v1/tags", Map.of("groupId", groupId, "name", name, "colour", "#FF8800"));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.str("/id");
    }

    private String customer() {
        return operator.post("/api/v1/customers/identify", Map.of("identities",
                List.of(Map.of("type", "anonymous_id", "value", UUID.randomUUID().toString())))).str("/customerId");
    }

    @Test
    void tagsAreGroupedAssignedRecordedAndLogged() {
        String needs = group("需求", false);
        String antiAging = tag(needs, "抗衰老需求");
        String kids = tag(needs, "有娃家庭");
        String c = customer();

        var held = operator.post("/api/v1/customers/" + c + "/tags", Map.of("tagId", antiAging));
        assertThat(held.status()).as(held.toString()).isEqualTo(200);
        operator.post("/api/v1/customers/" + c + "/tags", Map.of("tagId", kids));
        var tags = operator.get("/api/v1/customers/" + c + "/tags");
        assertThat(tags.body().at("/items").size()).isEqualTo(2);
        assertThat(tags.str("/items/0/source")).isEqualTo("manual");
        assertThat(tags.str("/items/0/assignedBy")).startsWith("operator-");

        assertThat(operator.delete("/api/v1/customers/" + c + "/tags/" + kids).status()).isEqualTo(204);
        assertThat(operator.delete("/api/v1/customers/" + c + "/tags/" + kids).str("/code")).isEqualTo("tag-not-held");

        var history = operator.get("/api/v1/customers/" + c + "/tag-history");
        assertThat(history.body().at("/items").valueStream().map(n -> n.get("kind").asString()).toList())
                .containsExactly("removed", "added", "added");
        processing.drain();
        var events = operator.get("/api/v1/customers/" + c + "/events");
        List<String> names = events.body().at("/items").valueStream().map(n -> n.get("name").asString()).toList();
        assertThat(names).containsExactly("Tag Removed", "Tag Added", "Tag Added");
        assertThat(events.body().at("/items/0/system").booleanValue()).isTrue();
        assertThat(events.str("/items/0/properties/tag")).isEqualTo("有娃家庭");
    }

    @Test
    void anExclusiveGroupHoldsOneTagPerCustomer() {
        String stage = group("宝宝阶段", true);
        String pregnant = tag(stage, "孕期");
        String newborn = tag(stage, "0-6月");
        String c = customer();
        operator.post("/api/v1/customers/" + c + "/tags", Map.of("tagId", pregnant));
        var after = operator.post("/api/v1/customers/" + c + "/tags", Map.of("tagId", newborn));
        assertThat(after.body().at("/items").valueStream().map(n -> n.get("name").asString()).toList())
                .containsExactly("0-6月");
    }

    @Test
    void bulkAssignmentReportsUnknownIdsAndFollowsMerges() {
        String g = group("活动", false);
        String t = tag(g, "双11参与");
        String a = customer();
        String b = customer();
        assertThat(operator.post("/api/v1/customers/" + a + "/merge", Map.of("otherCustomerId", b)).status()).isEqualTo(200);
        String other = customer();
        var res = operator.post("/api/v1/tags/" + t + "/assign", Map.of("customerIds", List.of(a, b, other, "999999999")));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().at("/changed").asInt()).isEqualTo(2);
        assertThat(res.body().at("/notFound").valueStream().map(n -> n.asString()).toList()).containsExactly("999999999");
        var holders = operator.get("/api/v1/tags/" + t + "/customers");
        assertThat(holders.body().at("/items").valueStream().map(n -> n.asString()).toList()).containsExactlyInAnyOrder(a, other);
        assertThat(operator.get("/api/v1/tags/" + t).body().at("/holders").asInt()).isEqualTo(2);

        // a tag in use cannot be deleted; after unassigning it can, and then its group
        assertThat(operator.delete("/api/v1/tags/" + t).str("/code")).isEqualTo("tag-in-use");
        assertThat(operator.delete("/api/v1/tag-groups/" + g).str("/code")).isEqualTo("tag-group-not-empty");
        assertThat(operator.post("/api/v1/tags/" + t + "/unassign", Map.of("customerIds", List.of(a, other)))
                .body().at("/changed").asInt()).isEqualTo(2);
        assertThat(operator.delete("/api/v1/tags/" + t).status()).isEqualTo(204);
        assertThat(operator.delete("/api/v1/tag-groups/" + g).status()).isEqualTo(204);
    }

    @Test
    void tagsFollowTheSurvivorOfAMerge() {
        String g = group("兴趣", false);
        String t1 = tag(g, "奶粉");
        String t2 = tag(g, "纸尿裤");
        String older = customer();
        String newer = customer();
        operator.post("/api/v1/customers/" + older + "/tags", Map.of("tagId", t1));
        operator.post("/api/v1/customers/" + newer + "/tags", Map.of("tagId", t2));
        operator.post("/api/v1/customers/" + older + "/merge", Map.of("otherCustomerId", newer));
        assertThat(operator.get("/api/v1/customers/" + older + "/tags").body().at("/items").size()).isEqualTo(2);
        assertThat(operator.get("/api/v1/customers/" + older + "/tag-history").body().at("/items").size()).isEqualTo(2);
    }

    @Test
    void badInputIsRefused() {
        String g = group("校验", false);
        assertThat(operator.post("/api/v1/tags", Map.of("groupId", g, "name", "x", "colour", "red")).str("/code"))
                .isEqualTo("invalid-colour");
        assertThat(operator.post("/api/v1/tags", Map.of("groupId", "999999", "name", "x")).str("/code"))
                .isEqualTo("tag-group-not-found");
        assertThat(operator.post("/api/v1/tags", Map.of("groupId", g)).str("/code")).isEqualTo("missing-field");
        assertThat(operator.post("/api/v1/tags", Map.of("groupId", g, "name", "x", "size", 3)).str("/code"))
                .isEqualTo("unknown-field");
        tag(g, "dup");
        assertThat(operator.post("/api/v1/tags", Map.of("groupId", g, "name", "dup")).status()).isEqualTo(409);
        assertThat(operator.post("/api/v1/tags", Map.of("groupId", g, "name", "y", "defaultTtlDays", 0)).str("/code"))
                .isEqualTo("invalid-range");
        var analyst = api().basic(TestUsers.create(db, "analyst"), TestUsers.PASSWORD);
        assertThat(analyst.post("/api/v1/tag-groups", Map.of("name", "nope")).status()).isEqualTo(403);
        assertThat(analyst.get("/api/v1/tag-groups").status()).isEqualTo(200);
    }
}
