package io.siyu.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers of the security integration tests: unique names, tokens, users and console sessions. */
abstract class SecurityApiTest extends ApiTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    /** A name no other test (or earlier run against the same database) has used. */
    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + SEQUENCE.incrementAndGet();
    }

    /** Creates an API token with this role and returns its secret. */
    String tokenWithRole(String role) {
        var res = admin().post("/api/v1/api-tokens", Map.of("name", unique("it-" + role), "role", role));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.str("/token");
    }

    /** Creates a console user and returns its id. */
    String createUser(String username, String password, String role) {
        var res = admin().post("/api/v1/users",
                Map.of("username", username, "password", password, "role", role, "displayName", "IT " + username));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.str("/id");
    }

    /** Logs in through the console's form, as a browser would; the session's cookies come back. */
    Session login(String username, String password) {
        Session anonymous = new Session(new LinkedHashMap<>());
        var page = anonymous.api().get("/login");
        anonymous.remember(page);
        assertThat(page.status()).isEqualTo(200);
        Matcher csrf = CSRF_INPUT.matcher(page.text());
        assertThat(csrf.find()).as("login page carries a CSRF field").isTrue();
        var res = anonymous.api().raw("POST", "/login", "username=" + encode(username) + "&password="
                + encode(password) + "&_csrf=" + encode(csrf.group(1)), "application/x-www-form-urlencoded");
        anonymous.remember(res);
        return new Session(anonymous.cookies, res);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A browser's cookie jar for this server, and the answer to the login that filled it. */
    final class Session {
        final Map<String, String> cookies;
        final Api.Res loginResponse;

        Session(Map<String, String> cookies) {
            this(cookies, null);
        }

        Session(Map<String, String> cookies, Api.Res loginResponse) {
            this.cookies = cookies;
            this.loginResponse = loginResponse;
        }

        /** A client sending the session's cookies (no CSRF header). */
        Api api() {
            Api client = SecurityApiTest.this.api();
            if (cookies.isEmpty()) {
                return client;
            }
            return client.header("Cookie", String.join("; ",
                    cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }

        /** A client that also echoes the CSRF cookie in the header, as the console does. */
        Api withCsrf() {
            assertThat(cookies).containsKey("XSRF-TOKEN");
            return api().header("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
        }

        Api.Res remember(Api.Res res) {
            for (String setCookie : res.headers().getOrDefault("set-cookie", List.of())) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return res;
        }
    }
}
