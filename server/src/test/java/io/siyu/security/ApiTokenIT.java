package io.siyu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ApiTokenIT extends SecurityApiTest {

    @Test
    void tokenIsCreatedUsedAndRevoked() {
        String name = unique("ci-script");
        var created = admin().post("/api/v1/api-tokens", Map.of("name", name, "role", "operator"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.str("/token");
        assertThat(token).matches("siyu_at_[A-Za-z0-9_-]{32,}");
        assertThat(created.str("/prefix")).isEqualTo(token.substring(0, 12));
        assertThat(created.str("/status")).isEqualTo("active");
        assertThat(created.str("/createdBy")).isEqualTo("admin");
        assertThat(created.header("Location")).isEqualTo("/api/v1/api-tokens/" + created.str("/id"));

        var me = api().bearer(token).get("/api/v1/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.str("/username")).isEqualTo("token:" + name);
        assertThat(me.str("/role")).isEqualTo("operator");
        assertThat(me.str("/kind")).isEqualTo("api-token");
        assertThat(strings(me.body().get("permissions")))
                .containsExactlyElementsOf(Role.OPERATOR.permissions().stream().sorted().toList());

        var revoked = admin().post("/api/v1/api-tokens/" + created.str("/id") + "/revoke", null);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.str("/status")).isEqualTo("revoked");
        assertThat(revoked.str("/revokedBy")).isEqualTo("admin");
        assertThat(revoked.str("/revokedAt")).isNotNull();

        var refused = api().bearer(token).get("/api/v1/me");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.str("/code")).isEqualTo("invalid-token");
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");

        var again = admin().post("/api/v1/api-tokens/" + created.str("/id") + "/revoke", null);
        assertThat(again.status()).as("revoking twice changes nothing").isEqualTo(200);
        assertThat(again.str("/revokedAt")).isEqualTo(revoked.str("/revokedAt"));
    }

    @Test
    void secretIsShownOnceAndNeverListed() {
        var created = admin().post("/api/v1/api-tokens", Map.of("name", unique("shown-once"), "role", "analyst"));
        String id = created.str("/id");
        String token = created.str("/token");
        String secretPart = token.substring(12);

        var one = admin().get("/api/v1/api-tokens/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().has("token")).isFalse();
        assertThat(one.text()).doesNotContain(secretPart);
        assertThat(one.str("/lastUsedAt")).isNull();

        var list = admin().get("/api/v1/api-tokens?limit=500");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).doesNotContain(secretPart);
        JsonNode listed = find(list.body().get("items"), id);
        assertThat(listed).as("the new token is on the first page (newest first)").isNotNull();
        assertThat(listed.has("token")).isFalse();
        assertThat(listed.get("prefix").asString()).isEqualTo(token.substring(0, 12));

        assertThat(api().bearer(token).get("/api/v1/me").status()).isEqualTo(200);
        assertThat(admin().get("/api/v1/api-tokens/" + id).str("/lastUsedAt")).as("use is recorded").isNotNull();
    }

    @Test
    void rolePermissionsAreEnforcedForTokens() {
        String analyst = tokenWithRole("analyst");
        var denied = api().bearer(analyst).post("/api/v1/api-tokens", Map.of("name", unique("x"), "role", "admin"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.str("/code")).isEqualTo("forbidden");
        assertThat(api().bearer(analyst).get("/api/v1/api-tokens").status()).isEqualTo(403);
        assertThat(api().bearer(analyst).get("/api/v1/users").status()).isEqualTo(403);
        assertThat(api().bearer(analyst).get("/api/v1/write-keys").status()).isEqualTo(403);
        assertThat(strings(api().bearer(analyst).get("/api/v1/me").body().get("permissions")))
                .containsExactlyElementsOf(Role.ANALYST.permissions().stream().sorted().toList());

        String admin = tokenWithRole("admin");
        var made = api().bearer(admin).post("/api/v1/api-tokens", Map.of("name", unique("by-token"), "role", "staff"));
        assertThat(made.status()).as("a token needs no CSRF token: " + made).isEqualTo(201);
        assertThat(made.str("/createdBy")).startsWith("token:it-admin-");
    }

    @Test
    void unknownMalformedAndExpiredTokensAreRefused() throws InterruptedException {
        assertThat(api().bearer("siyu_at_" + "A".repeat(43)).get("/api/v1/me").str("/code")).isEqualTo("invalid-token");
        assertThat(api().bearer("not-a-token").get("/api/v1/me").status()).isEqualTo(401);
        assertThat(api().header("Authorization", "bearer siyu_at_short").get("/api/v1/me").str("/code"))
                .isEqualTo("invalid-token");

        var shortLived = admin().post("/api/v1/api-tokens", Map.of("name", unique("short-lived"), "role", "analyst",
                "expiresAt", OffsetDateTime.now().plusSeconds(2).toString()));
        assertThat(shortLived.status()).as(shortLived.toString()).isEqualTo(201);
        String token = shortLived.str("/token");
        assertThat(api().bearer(token).get("/api/v1/me").status()).isEqualTo(200);
        Thread.sleep(2_500);
        var expired = api().bearer(token).get("/api/v1/me");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.str("/code")).isEqualTo("invalid-token");
        assertThat(admin().get("/api/v1/api-tokens/" + shortLived.str("/id")).str("/status")).isEqualTo("expired");
    }

    @Test
    void badRequestsAreRefusedWithCodes() {
        var unknownRole = admin().post("/api/v1/api-tokens", Map.of("name", unique("r"), "role", "root"));
        assertThat(unknownRole.status()).isEqualTo(400);
        assertThat(unknownRole.str("/code")).isEqualTo("unknown-role");
        assertThat(unknownRole.str("/errors/0/pointer")).isEqualTo("/role");
        assertThat(unknownRole.str("/errors/0/message")).contains("root").contains("analyst");

        var noName = admin().lang("en").post("/api/v1/api-tokens", Map.of("role", "admin"));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.str("/code")).isEqualTo("field-required");
        assertThat(noName.str("/errors/0/pointer")).isEqualTo("/name");
        assertThat(noName.str("/errors/0/message")).isEqualTo("The field name is required");

        var past = admin().post("/api/v1/api-tokens", Map.of("name", unique("p"), "role", "admin",
                "expiresAt", "2020-01-01T00:00:00+08:00"));
        assertThat(past.str("/code")).isEqualTo("expiry-not-in-future");

        var unknownField = admin().post("/api/v1/api-tokens", Map.of("name", unique("u"), "role", "admin", "scope", 1));
        assertThat(unknownField.str("/code")).isEqualTo("unknown-field");

        String name = unique("twice");
        assertThat(admin().post("/api/v1/api-tokens", Map.of("name", name, "role", "admin")).status()).isEqualTo(201);
        var duplicate = admin().post("/api/v1/api-tokens", Map.of("name", name, "role", "staff"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.str("/code")).isEqualTo("api-token-name-taken");

        var missing = admin().post("/api/v1/api-tokens/999999999/revoke", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.str("/code")).isEqualTo("api-token-not-found");

        assertThat(api().post("/api/v1/api-tokens", Map.of("name", unique("anon"), "role", "admin")).status())
                .isEqualTo(401);
    }

    @Test
    void listIsCursorPagedNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(admin().post("/api/v1/api-tokens", Map.of("name", unique("page"), "role", "staff")).str("/id"));
        }
        var first = admin().get("/api/v1/api-tokens?limit=2");
        assertThat(first.body().get("items")).hasSize(2);
        assertThat(first.str("/items/0/id")).isEqualTo(ids.get(2));
        assertThat(first.str("/items/1/id")).isEqualTo(ids.get(1));
        var second = admin().get("/api/v1/api-tokens?limit=2&cursor=" + first.str("/nextCursor"));
        assertThat(second.str("/items/0/id")).isEqualTo(ids.get(0));

        assertThat(admin().get("/api/v1/api-tokens?cursor=bm9wZQ").str("/code")).isEqualTo("invalid-cursor");
        assertThat(admin().get("/api/v1/api-tokens?limit=0").str("/code")).isEqualTo("invalid-limit");
    }

    static JsonNode find(JsonNode items, String id) {
        for (JsonNode item : items) {
            if (id.equals(item.get("id").asString())) {
                return item;
            }
        }
        return null;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
