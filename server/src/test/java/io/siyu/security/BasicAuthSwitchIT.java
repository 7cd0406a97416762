package io.siyu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicAuthSwitchIT extends SecurityApiTest {

    @Test
    void basicCanBeTurnedOffWhileTokensAndSessionsKeepWorking() {
        String token = tokenWithRole("admin");
        Session session = login(ADMIN, ADMIN_PASSWORD);
        assertThat(admin().get("/api/v1/settings/security").body().get("basicAuthEnabled").asBoolean()).isTrue();
        try {
            var off = api().bearer(token).put("/api/v1/settings/security", Map.of("basicAuthEnabled", false));
            assertThat(off.status()).as(off.toString()).isEqualTo(200);
            assertThat(off.body().get("basicAuthEnabled").asBoolean()).isFalse();

            var basic = admin().get("/api/v1/me");
            assertThat(basic.status()).isEqualTo(401);
            assertThat(basic.str("/code")).isEqualTo("basic-auth-disabled");
            assertThat(api().bearer(token).get("/api/v1/me").status()).isEqualTo(200);
            assertThat(session.api().get("/api/v1/me").str("/username")).isEqualTo(ADMIN);
            assertThat(api().bearer(token).get("/api/v1/settings/security").body().get("basicAuthEnabled").asBoolean())
                    .isFalse();
        } finally {
            var on = api().bearer(token).put("/api/v1/settings/security", Map.of("basicAuthEnabled", true));
            assertThat(on.status()).isEqualTo(200);
        }
        assertThat(admin().get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void onlySettingsAdministratorsChangeItAndTheBodyIsChecked() {
        String operator = tokenWithRole("operator");
        assertThat(api().bearer(operator).put("/api/v1/settings/security", Map.of("basicAuthEnabled", false)).status())
                .isEqualTo(403);
        assertThat(api().bearer(operator).get("/api/v1/settings/security").status()).isEqualTo(403);

        var empty = admin().put("/api/v1/settings/security", Map.of());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.str("/code")).isEqualTo("field-required");
        assertThat(admin().put("/api/v1/settings/security", Map.of("basicAuthEnabled", "sometimes")).status())
                .isEqualTo(400);
        assertThat(admin().get("/api/v1/settings/security").body().get("basicAuthEnabled").asBoolean()).isTrue();
    }
}
