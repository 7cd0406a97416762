package io.siyu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleSessionIT extends SecurityApiTest {

    @Test
    void formLoginGivesASessionWhoseChangesNeedTheCsrfToken() {
        Session session = login(ADMIN, ADMIN_PASSWORD);
        assertThat(session.loginResponse.status()).isEqualTo(302);
        assertThat(session.loginResponse.header("Location")).doesNotContain("error");
        assertThat(session.cookies).containsKey("JSESSIONID");

        var me = session.remember(session.api().get("/api/v1/me"));
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.str("/username")).isEqualTo(ADMIN);
        assertThat(me.str("/kind")).isEqualTo("user");
        assertThat(me.str("/role")).isEqualTo("admin");
        assertThat(me.str("/displayName")).isEqualTo("Administrator");

        var forged = session.api().post("/api/v1/write-keys", Map.of("name", unique("forged")));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.str("/code")).isEqualTo("invalid-csrf-token");

        var made = session.remember(session.withCsrf().post("/api/v1/write-keys", Map.of("name", unique("console"))));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.str("/createdBy")).isEqualTo(ADMIN);

        var logout = session.remember(session.withCsrf().raw("POST", "/logout", "", "application/x-www-form-urlencoded"));
        assertThat(logout.status()).as(logout.toString()).isIn(204, 302);
        assertThat(session.api().get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void consoleUsersLogInWithTheirOwnRole() {
        String username = unique("console-user");
        createUser(username, "console-Pa55word", "staff");
        Session session = login(username, "console-Pa55word");
        assertThat(session.loginResponse.status()).isEqualTo(302);
        var me = session.api().get("/api/v1/me");
        assertThat(me.str("/username")).isEqualTo(username);
        assertThat(me.str("/role")).isEqualTo("staff");
    }
}
