package io.siyu.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.platform.IdempotencyProbeController;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class IdempotencyIT extends ApiTest {

    private static final String PROBES = "/api/v1/test-probes";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IdempotencyCleanup cleanup;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private Api withKey(Api api, String key) {
        return api.header("Idempotency-Key", key);
    }

    @Test
    void repeatReturnsTheFirstAnswerWithoutRunningAgain() {
        String name = unique("repeat");
        String key = unique("key");
        var first = withKey(admin(), key).post(PROBES, Map.of("name", name));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.str("/n")).isEqualTo("1");
        assertThat(first.header("Idempotent-Replayed")).isNull();

        var again = withKey(admin(), key).post(PROBES, Map.of("name", name));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(again.header("Content-Type")).isEqualTo(first.header("Content-Type"));
        assertThat(again.header("Location")).isEqualTo(first.header("Location")).isNotNull();
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(1);
    }

    @Test
    void withoutAKeyEveryPostRuns() {
        String name = unique("nokey");
        assertThat(admin().post(PROBES, Map.of("name", name)).str("/n")).isEqualTo("1");
        var second = admin().post(PROBES, Map.of("name", name));
        assertThat(second.str("/n")).isEqualTo("2");
        assertThat(second.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void sameKeyForADifferentRequestIs422AndChangesNothing() {
        String name = unique("reused");
        String key = unique("key");
        assertThat(withKey(admin(), key).post(PROBES, Map.of("name", name)).status()).isEqualTo(201);

        var otherBody = withKey(admin(), key).lang("en").post(PROBES, Map.of("name", name, "delayMs", 1));
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.header("Content-Type")).startsWith("application/problem+json");
        assertThat(otherBody.str("/code")).isEqualTo("idempotency-key-reused");
        assertThat(otherBody.str("/title")).isEqualTo("Idempotency key reused");

        var otherPath = withKey(admin(), key).post(PROBES + "/async", Map.of("name", name));
        assertThat(otherPath.status()).isEqualTo(422);
        assertThat(otherPath.str("/title")).isEqualTo("幂等键已被其他请求使用");
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(1);
    }

    @Test
    void keysBelongToTheirActor() {
        String operator = unique("op");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update("INSERT INTO console_user (username, password_hash, role, display_name, enabled, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", operator, "{noop}secretpassword1", "operator", "Operator", true, now, now);
        Api other = api().basic(operator, "secretpassword1");
        String name = unique("actors");
        String key = unique("key");

        var byAdmin = withKey(admin(), key).post(PROBES, Map.of("name", name));
        var byOther = withKey(other, key).post(PROBES, Map.of("name", name));
        assertThat(byAdmin.status()).isEqualTo(201);
        assertThat(byOther.status()).as(byOther.toString()).isEqualTo(201);
        assertThat(byOther.header("Idempotent-Replayed")).isNull();
        assertThat(byOther.str("/id")).isNotEqualTo(byAdmin.str("/id"));
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(2);

        assertThat(withKey(other, key).post(PROBES, Map.of("name", name)).text()).isEqualTo(byOther.text());
        assertThat(withKey(admin(), key).post(PROBES, Map.of("name", name)).text()).isEqualTo(byAdmin.text());
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(2);
    }

    @Test
    void concurrentRequestsWithOneKeyRunOnce() throws Exception {
        String name = unique("race");
        String key = unique("key");
        int parallel = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Api.Res>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            for (int i = 0; i < parallel; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return withKey(admin(), key).post(PROBES, Map.of("name", name, "delayMs", 300));
                }));
            }
            start.countDown();
            List<Api.Res> results = new ArrayList<>();
            for (Future<Api.Res> future : futures) {
                results.add(future.get());
            }
            assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(1);
            List<Api.Res> created = results.stream().filter(r -> r.status() == 201).toList();
            assertThat(created).isNotEmpty();
            assertThat(created.stream().map(r -> r.str("/id")).distinct()).hasSize(1);
            assertThat(created.stream().filter(r -> r.header("Idempotent-Replayed") == null)).hasSize(1);
            for (Api.Res res : results) {
                if (res.status() != 201) {
                    assertThat(res.status()).as(res.toString()).isEqualTo(409);
                    assertThat(res.str("/code")).isEqualTo("idempotency-in-progress");
                    assertThat(res.header("Retry-After")).isEqualTo("1");
                }
            }
        }
    }

    @Test
    void aClaimStillRunningAnswers409WithRetryAfter() {
        String key = unique("key");
        String body = "{\"name\":\"" + unique("pending") + "\"}";
        insertRecord(key, hashOf(PROBES, body), null, OffsetDateTime.now(ZoneOffset.UTC));

        var res = withKey(admin(), key).raw("POST", PROBES, body, "application/json");
        assertThat(res.status()).isEqualTo(409);
        assertThat(res.str("/code")).isEqualTo("idempotency-in-progress");
        assertThat(res.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void aClaimAbandonedLongAgoIsTakenOver() {
        String key = unique("key");
        String name = unique("abandoned");
        String body = "{\"name\":\"" + name + "\"}";
        insertRecord(key, hashOf(PROBES, body), null, OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));

        var res = withKey(admin(), key).raw("POST", PROBES, body, "application/json");
        assertThat(res.status()).isEqualTo(201);
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(1);
        assertThat(withKey(admin(), key).raw("POST", PROBES, body, "application/json").text()).isEqualTo(res.text());
    }

    @Test
    void anExpiredRecordIsNotReplayed() {
        String key = unique("key");
        String name = unique("expired");
        String body = "{\"name\":\"" + name + "\"}";
        insertRecord(key, hashOf(PROBES, body), 201, OffsetDateTime.now(ZoneOffset.UTC).minusHours(25));

        var res = withKey(admin(), key).raw("POST", PROBES, body, "application/json");
        assertThat(res.status()).isEqualTo(201);
        assertThat(res.header("Idempotent-Replayed")).isNull();
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(1);
    }

    @Test
    void dailyCleanupDeletesRecordsOlderThanTheRetention() {
        String oldKey = unique("old");
        String freshKey = unique("fresh");
        insertRecord(oldKey, "0".repeat(64), 201, OffsetDateTime.now(ZoneOffset.UTC).minusHours(25));
        insertRecord(freshKey, "0".repeat(64), 201, OffsetDateTime.now(ZoneOffset.UTC).minusHours(23));

        cleanup.deleteExpired();

        assertThat(countRecords(oldKey)).isZero();
        assertThat(countRecords(freshKey)).isEqualTo(1);
    }

    @Test
    void serverErrorsAreNotRecordedSoARetryRunsAgain() {
        String name = unique("failing");
        String key = unique("key");
        var first = withKey(admin(), key).post(PROBES + "/failing", Map.of("name", name));
        assertThat(first.status()).isEqualTo(500);
        var retry = withKey(admin(), key).post(PROBES + "/failing", Map.of("name", name));
        assertThat(retry.status()).isEqualTo(500);
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(2);
        assertThat(countRecords(key)).isZero();
    }

    @Test
    void clientErrorsAreRecordedAndReplayed() {
        String key = unique("key");
        String body = "{\"name\":\"" + unique("bad") + "\",\"unknownField\":1}";
        var first = withKey(admin(), key).raw("POST", PROBES, body, "application/json");
        assertThat(first.status()).isEqualTo(400);
        assertThat(first.str("/code")).isEqualTo("unknown-field");

        var again = withKey(admin(), key).raw("POST", PROBES, body, "application/json");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        assertThat(again.text()).isEqualTo(first.text());
    }

    @Test
    void invalidKeysAre400AndRunNothing() {
        String name = unique("invalid");
        var tooLong = withKey(admin(), "k".repeat(201)).post(PROBES, Map.of("name", name));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.str("/code")).isEqualTo("invalid-idempotency-key");
        var blank = withKey(admin(), " ").post(PROBES, Map.of("name", name));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.str("/code")).isEqualTo("invalid-idempotency-key");
        assertThat(IdempotencyProbeController.invocations(name)).isZero();
    }

    @Test
    void asynchronousAnswersAreRecordedToo() {
        String name = unique("async");
        String key = unique("key");
        var first = withKey(admin(), key).post(PROBES + "/async", Map.of("name", name));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.str("/n")).isEqualTo("1");

        var again = withKey(admin(), key).post(PROBES + "/async", Map.of("name", name));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(1);
    }

    @Test
    void multipartUploadsAreFingerprintedByTheirParts() {
        String name = unique("upload");
        String key = unique("key");
        var first = upload(key, name, "a,b\n1,2\n");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        var again = upload(key, name, "a,b\n1,2\n");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.text()).isEqualTo(first.text());

        var otherFile = upload(key, name, "a,b\n3,4\n");
        assertThat(otherFile.status()).isEqualTo(422);
        assertThat(IdempotencyProbeController.invocations(name)).isEqualTo(1);
    }

    private Api.Res upload(String key, String name, String csv) {
        String boundary = "----probe" + UUID.randomUUID().toString().replace("-", "");
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n"
                + "--" + boundary + "--\r\n";
        return withKey(admin(), key).raw("POST", PROBES + "/uploads", body, "multipart/form-data; boundary=" + boundary);
    }

    private static String hashOf(String path, String body) {
        return RequestFingerprint.hash("POST", path, null, body.getBytes(StandardCharsets.UTF_8));
    }

    private void insertRecord(String key, String hash, Integer status, OffsetDateTime createdAt) {
        jdbc.update("INSERT INTO idempotency_record (idem_key, actor, request_hash, status, content_type, body, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", key, ADMIN, hash, status,
                status == null ? null : "application/json", status == null ? null : "{\"replayed\":true}", createdAt);
    }

    private int countRecords(String key) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM idempotency_record WHERE idem_key = ?", Integer.class, key);
    }
}
