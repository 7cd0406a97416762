package io.siyu.staff;

import static org.assertj.core.api.Assertions.assertThat;

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

class StaffApiIT extends ApiTest {

    @Autowired
    DSLContext db;

    private Api operator;

    @BeforeEach
    void setUp() {
        operator = api().basic(TestUsers.create(db, "operator"), TestUsers.PASSWORD);
    }

    private String staff(String name) {
        var res = admin().post("/api/v1/staff", Map.of("name", name, "title", "育儿顾问",
                "wecomUserId", "wx-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.str("/id");
    }

    private String customer() {
        var res = operator.post("/api/v1/customers/identify", Map.of("identities",
                List.of(Map.of("type", "anonymous_id", "value", UUID.randomUUID().toString()))));
        return res.str("/customerId");
    }

    @Test
    void ownershipIsAssignedListedAndFollowsAMerge() {
        String lin = staff("林悦");
        String chen = staff("陈思");
        String older = customer();
        String newer = customer();
        assertThat(operator.get("/api/v1/customers/" + older + "/owner").status()).isEqualTo(404);
        var assigned = operator.put("/api/v1/customers/" + newer + "/owner", Map.of("staffId", chen));
        assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
        assertThat(assigned.str("/staffId")).isEqualTo(chen);
        assertThat(operator.get("/api/v1/staff/" + chen + "/customers").body().at("/items").valueStream()
                .map(n -> n.asString()).toList()).containsExactly(newer);

        // the survivor had no owner: it takes the merged customer's
        assertThat(operator.post("/api/v1/customers/" + older + "/merge", Map.of("otherCustomerId", newer)).status())
                .isEqualTo(200);
        assertThat(operator.get("/api/v1/customers/" + older + "/owner").str("/staffId")).isEqualTo(chen);
        assertThat(operator.get("/api/v1/staff/" + chen + "/customers").body().at("/items").valueStream()
                .map(n -> n.asString()).toList()).containsExactly(older);
        // an owner can be changed, and the merged id resolves to the survivor
        assertThat(operator.put("/api/v1/customers/" + newer + "/owner", Map.of("staffId", lin)).str("/customerId"))
                .isEqualTo(older);
    }

    @Test
    void erasureRemovesOwnership() {
        String s = staff("王芳");
        String c = customer();
        operator.put("/api/v1/customers/" + c + "/owner", Map.of("staffId", s));
        assertThat(admin().delete("/api/v1/customers/" + c).status()).isEqualTo(204);
        assertThat(operator.get("/api/v1/staff/" + s + "/customers").body().at("/items").size()).isZero();
    }

    @Test
    void badInputIsRefused() {
        assertThat(operator.post("/api/v1/staff", Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(admin().post("/api/v1/staff", Map.of("title", "x")).str("/code")).isEqualTo("missing-field");
        assertThat(admin().post("/api/v1/staff", Map.of("name", "x", "age", 3)).str("/code")).isEqualTo("unknown-field");
        String c = customer();
        assertThat(operator.put("/api/v1/customers/" + c + "/owner", Map.of("staffId", "999999")).str("/code"))
                .isEqualTo("staff-not-found");
        assertThat(operator.put("/api/v1/customers/999999999/owner", Map.of("staffId", "1")).str("/code"))
                .isEqualTo("customer-not-found");
        var dup = admin().post("/api/v1/staff", Map.of("name", "a", "wecomUserId", "dup-" + c));
        assertThat(dup.status()).isEqualTo(201);
        assertThat(admin().post("/api/v1/staff", Map.of("name", "b", "wecomUserId", "dup-" + c)).str("/code"))
                .isEqualTo("wecom-userid-taken");
    }
}
