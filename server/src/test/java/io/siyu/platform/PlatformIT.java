package io.siyu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.testing.ApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformIT extends ApiTest {

    @Test
    void healthIsUpWithoutCredentials() {
        var res = api().get("/actuator/health");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.str("/status")).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsAreExposed() {
        var res = api().get("/actuator/prometheus");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.text()).contains("jvm_memory_used_bytes");
    }

    @Test
    void apiNeedsCredentialsAndAnswersProblemJsonInTheRequestLanguage() {
        var zh = api().get("/api/v1/customers");
        assertThat(zh.status()).isEqualTo(401);
        assertThat(zh.header("Content-Type")).startsWith("application/problem+json");
        assertThat(zh.str("/code")).isEqualTo("unauthenticated");
        assertThat(zh.str("/title")).isEqualTo("需要登录");

        var en = api().lang("en").get("/api/v1/customers");
        assertThat(en.str("/title")).isEqualTo("Authentication required");
        assertThat(en.str("/type")).isEqualTo("/docs/problems#unauthenticated");
    }

    @Test
    void unknownApiPathIsAProblem404() {
        var res = admin().get("/api/v1/no-such-thing");
        assertThat(res.status()).isEqualTo(404);
        assertThat(res.str("/code")).isEqualTo("not-found");
    }

    @Test
    void problemCatalogListsEveryCodeWithItsTitle() {
        var res = api().lang("en").get("/docs/problems");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body().valueStream().map(n -> n.get("code").asString()))
                .contains("malformed-json", "body-too-large", "unauthenticated");
    }

    @Test
    void openApiDocumentIsServed() {
        var res = api().get("/v3/api-docs");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.str("/openapi")).startsWith("3.");
        // the ingestion paths an integrator needs: tracking, the timeline, the log by offset, imports
        for (String path : List.of("/v1/batch", "/v1/track", "/v1/identify", "/api/v1/customers/{id}/events",
                "/api/v1/events", "/api/v1/imports/customers", "/api/v1/imports/orders",
                "/api/v1/imports/{jobId}/errors.csv", "/api/v1/customer-aggregates/rebuild")) {
            assertThat(res.body().path("paths").has(path)).as("%s in the API docs", path).isTrue();
        }
    }

    @Test
    void requestIdIsEchoed() {
        var res = api().header("X-Request-Id", "abc-123").get("/actuator/health");
        assertThat(res.header("X-Request-Id")).isEqualTo("abc-123");
    }
}
