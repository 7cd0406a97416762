package io.siyu.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs against the default limits (5 failures per user name, 20 per address, per 5 minutes): the
 * context is shared, so each test uses a fresh user name and as few failures as it can, leaving
 * the per-address bucket of 127.0.0.1 to the other tests.
 */
class LoginLimitIT extends SecurityApiTest {

    private static final String PASSWORD = "limit-Pa55word";

    @Test
    void failedLoginsAreLimitedPerUsernameEvenForTheRightPassword() {
        String username = unique("limited");
        createUser(username, PASSWORD, "staff");
        var failedForm = login(username, "wrong-password");
        assertThat(failedForm.loginResponse.status()).isEqualTo(302);
        assertThat(failedForm.loginResponse.header("Location")).contains("/login?error");
        for (int i = 0; i < 4; i++) {
            var failed = api().basic(username, "wrong-password-" + i).get("/api/v1/me");
            assertThat(failed.status()).as("Basic failure %d", i + 1).isEqualTo(401);
            assertThat(failed.str("/code")).isEqualTo("unauthenticated");
        }

        var limited = api().basic(username, PASSWORD).lang("en").get("/api/v1/me");
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(limited.str("/code")).isEqualTo("too-many-login-attempts");
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 300L);
        assertThat(limited.body().get("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
        assertThat(limited.str("/detail")).contains(String.valueOf(retryAfter));

        var formLogin = login(username, PASSWORD);
        assertThat(formLogin.loginResponse.status()).as("the form login is limited too").isEqualTo(429);
        assertThat(formLogin.loginResponse.str("/code")).isEqualTo("too-many-login-attempts");

        assertThat(admin().get("/api/v1/me").status()).as("other users are not affected").isEqualTo(200);
    }

    @Test
    void successfulLoginsDoNotCount() {
        String username = unique("diligent");
        createUser(username, PASSWORD, "analyst");
        for (int i = 0; i < 8; i++) {
            assertThat(api().basic(username, PASSWORD).get("/api/v1/me").status()).as("login %d", i + 1)
                    .isEqualTo(200);
        }
        assertThat(login(username, PASSWORD).loginResponse.header("Location")).doesNotContain("error");
    }
}
