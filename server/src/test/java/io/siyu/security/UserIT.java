package io.siyu.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.testing.Api;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UserIT extends SecurityApiTest {

    private static final String PASSWORD = "user-Pa55word";

    @Test
    void usersAreCreatedListedAndLogIn() {
        String username = unique("zhang.san");
        var created = admin().post("/api/v1/users",
                Map.of("username", username, "password", PASSWORD, "role", "operator", "displayName", "张三"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/users/" + created.str("/id"));
        assertThat(created.str("/username")).isEqualTo(username);
        assertThat(created.str("/role")).isEqualTo("operator");
        assertThat(created.body().get("enabled").asBoolean()).isTrue();
        assertThat(created.text()).doesNotContain(PASSWORD).doesNotContain("password");

        var me = api().basic(username, PASSWORD).get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.str("/displayName")).isEqualTo("张三");
        assertThat(ApiTokenIT.strings(me.body().get("permissions")))
                .containsExactlyElementsOf(Role.OPERATOR.permissions().stream().sorted().toList());
        assertThat(api().basic(username, PASSWORD).get("/api/v1/users").status()).isEqualTo(403);

        assertThat(ApiTokenIT.find(allUsers(), created.str("/id"))).isNotNull();
        assertThat(admin().get("/api/v1/users/" + created.str("/id")).str("/username")).isEqualTo(username);
    }

    @Test
    void usernamesAreUniqueIgnoringCase() {
        String username = unique("li.si");
        createUser(username, PASSWORD, "staff");
        var duplicate = admin().post("/api/v1/users",
                Map.of("username", username.toUpperCase(), "password", PASSWORD, "role", "staff"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.str("/code")).isEqualTo("username-taken");
    }

    @Test
    void badUsersAreRefusedWithEveryProblem() {
        var unknownRole = admin().post("/api/v1/users",
                Map.of("username", unique("r"), "password", PASSWORD, "role", "superuser"));
        assertThat(unknownRole.status()).isEqualTo(400);
        assertThat(unknownRole.str("/code")).isEqualTo("unknown-role");

        var shortPassword = admin().lang("en").post("/api/v1/users",
                Map.of("username", unique("p"), "password", "short", "role", "staff"));
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.str("/code")).isEqualTo("password-too-short");
        assertThat(shortPassword.str("/errors/0/pointer")).isEqualTo("/password");
        assertThat(shortPassword.str("/errors/0/message")).isEqualTo("A password needs at least 10 characters");

        var everything = admin().post("/api/v1/users",
                Map.of("username", "token:x", "password", "123", "role", "god"));
        assertThat(everything.status()).isEqualTo(400);
        List<String> pointers = new ArrayList<>();
        everything.body().get("errors").forEach(e -> pointers.add(e.get("pointer").asString()));
        assertThat(pointers).containsExactly("/username", "/password", "/role");
        assertThat(everything.str("/errors/0/code")).isEqualTo("invalid-username");

        assertThat(admin().post("/api/v1/users", Map.of("password", PASSWORD, "role", "staff")).str("/code"))
                .isEqualTo("field-required");
    }

    @Test
    void usersAreChangedWithMergePatches() {
        String username = unique("wang.wu");
        String id = createUser(username, PASSWORD, "staff");

        var changed = admin().patch("/api/v1/users/" + id, Map.of("role", "analyst", "displayName", "王五"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.str("/role")).isEqualTo("analyst");
        assertThat(changed.str("/displayName")).isEqualTo("王五");
        assertThat(ApiTokenIT.strings(api().basic(username, PASSWORD).get("/api/v1/me").body().get("permissions")))
                .containsExactlyElementsOf(Role.ANALYST.permissions().stream().sorted().toList());

        Map<String, Object> clear = new HashMap<>();
        clear.put("displayName", null);
        assertThat(admin().patch("/api/v1/users/" + id, clear).str("/displayName")).isNull();

        String newPassword = "new-" + PASSWORD;
        assertThat(admin().patch("/api/v1/users/" + id, Map.of("password", newPassword)).status()).isEqualTo(200);
        assertThat(api().basic(username, newPassword).get("/api/v1/me").status()).isEqualTo(200);
        assertThat(api().basic(username, PASSWORD).get("/api/v1/me").status()).isEqualTo(401);

        assertThat(admin().patch("/api/v1/users/" + id, Map.of("enabled", false)).body().get("enabled").asBoolean())
                .isFalse();
        assertThat(api().basic(username, newPassword).get("/api/v1/me").status()).isEqualTo(401);

        var bad = admin().patch("/api/v1/users/" + id, Map.of("username", "renamed", "role", "wizard"));
        assertThat(bad.status()).isEqualTo(400);
        List<String> codes = new ArrayList<>();
        bad.body().get("errors").forEach(e -> codes.add(e.get("code").asString()));
        assertThat(codes).containsExactlyInAnyOrder("field-read-only", "unknown-role");
        assertThat(admin().patch("/api/v1/users/" + id, Map.of("password", "short")).str("/code"))
                .isEqualTo("password-too-short");
        assertThat(admin().get("/api/v1/users/" + id).str("/role")).as("a refused patch changes nothing")
                .isEqualTo("analyst");

        var missing = admin().patch("/api/v1/users/999999999", Map.of("enabled", true));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.str("/code")).isEqualTo("user-not-found");
    }

    @Test
    void theLastEnabledAdministratorCannotBeDisabledOrDemoted() {
        String secondAdmin = createUser(unique("second-admin"), PASSWORD, "admin");
        String adminId = idOf(allUsers(), ADMIN);

        // Other tests may have left administrators behind; demote them for the check, restore them after.
        List<String> demoted = new ArrayList<>();
        for (JsonNode user : allUsers()) {
            String id = user.get("id").asString();
            if (user.get("enabled").asBoolean() && "admin".equals(user.get("role").asString()) && !id.equals(adminId)) {
                assertThat(admin().patch("/api/v1/users/" + id, Map.of("role", "operator")).status()).isEqualTo(200);
                demoted.add(id);
            }
        }
        assertThat(demoted).contains(secondAdmin);
        try {
            var disable = admin().patch("/api/v1/users/" + adminId, Map.of("enabled", false));
            assertThat(disable.status()).isEqualTo(409);
            assertThat(disable.str("/code")).isEqualTo("last-admin");
            var demote = admin().patch("/api/v1/users/" + adminId, Map.of("role", "auditor"));
            assertThat(demote.str("/code")).isEqualTo("last-admin");
            assertThat(admin().patch("/api/v1/users/" + adminId, Map.of("role", "admin", "enabled", true)).status())
                    .as("changes that keep the administrator are fine").isEqualTo(200);
        } finally {
            for (String id : demoted) {
                admin().patch("/api/v1/users/" + id, Map.of("role", "admin"));
            }
        }
        assertThat(admin().patch("/api/v1/users/" + secondAdmin, Map.of("enabled", false)).status())
                .as("with the bootstrap admin left, another one may go").isEqualTo(200);
    }

    /** Every user, following the cursor through all pages. */
    private JsonNode allUsers() {
        var all = json.createArrayNode();
        String cursor = null;
        do {
            Api.Res page = admin().get("/api/v1/users?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.body().get("items").forEach(all::add);
            cursor = page.str("/nextCursor");
        } while (cursor != null);
        return all;
    }

    private static String idOf(JsonNode users, String username) {
        for (JsonNode user : users) {
            if (username.equals(user.get("username").asString())) {
                return user.get("id").asString();
            }
        }
        throw new AssertionError("no user " + username);
    }
}
