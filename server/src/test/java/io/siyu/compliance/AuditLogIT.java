package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestDatabase;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

class AuditLogIT extends ApiTest {

    private static final String LIST = "/api/v1/audit-log";
    private static final String VERIFY = "/api/v1/audit-log/verify";

    @Autowired
    AuditLog auditLog;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DSLContext db;

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private void record(String action, String targetType, String targetId, Map<String, Object> details) {
        tx.executeWithoutResult(status -> auditLog.record(action, targetType, targetId, details));
    }

    /** Records as a signed-in user within a request, as a controller of another module would. */
    private void recordAs(String actor, String requestId, String action, String targetId, Map<String, Object> details) {
        SecurityContextHolder.getContext().setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(actor, null, List.of()));
        MDC.put("requestId", requestId);
        try {
            record(action, "customer", targetId, details);
        } finally {
            SecurityContextHolder.clearContext();
            MDC.remove("requestId");
        }
    }

    private List<JsonNode> items(Api.Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().get("items").valueStream().toList();
    }

    private long headId() {
        return db.select(field(name("last_id"), Long.class)).from(table(name("audit_head"))).fetchSingle().value1();
    }

    @Test
    void recordedEntriesAreListedNewestFirstWithActorRequestIdAndDetails() {
        String action = unique("it.customer.merge");
        recordAs("alice", "req-one", action, "41,42", Map.of("merged", 2, "reason", "duplicate"));
        recordAs("bob", "req-two", action, "43", Map.of());

        List<JsonNode> items = items(admin().get(LIST + "?action=" + action));
        assertThat(items).hasSize(2);
        JsonNode newest = items.get(0);
        JsonNode older = items.get(1);
        assertThat(Long.parseLong(newest.get("id").asString())).isEqualTo(Long.parseLong(older.get("id").asString()) + 1);
        assertThat(newest.get("actor").asString()).isEqualTo("bob");
        assertThat(newest.get("requestId").asString()).isEqualTo("req-two");
        assertThat(older.get("actor").asString()).isEqualTo("alice");
        assertThat(older.get("action").asString()).isEqualTo(action);
        assertThat(older.get("targetType").asString()).isEqualTo("customer");
        assertThat(older.get("targetId").asString()).isEqualTo("41,42");
        assertThat(older.get("details").get("merged").asInt()).isEqualTo(2);
        assertThat(older.get("details").get("reason").asString()).isEqualTo("duplicate");
        assertThat(older.get("hash").asString()).matches("[0-9a-f]{64}");
        assertThat(newest.get("prevHash").asString()).isEqualTo(older.get("hash").asString());
        // shown in the brand's time zone, Asia/Shanghai
        assertThat(older.get("occurredAt").asString()).endsWith("+08:00");
    }

    @Test
    void workOutsideARequestIsRecordedAsSystem() {
        String action = unique("it.job");
        record(action, null, null, null);
        JsonNode entry = items(admin().get(LIST + "?action=" + action)).getFirst();
        assertThat(entry.get("actor").asString()).isEqualTo("system");
        assertThat(entry.get("requestId").asString()).isEqualTo("system");
        assertThat(entry.get("targetType").isNull()).isTrue();
        assertThat(entry.get("details").isEmpty()).isTrue();
    }

    @Test
    void entryIsRolledBackWithTheOperationAndLeavesNoGap() {
        String action = unique("it.rolled-back");
        long before = headId();
        tx.executeWithoutResult(status -> {
            auditLog.record(action, "customer", "1", Map.of());
            status.setRollbackOnly();
        });
        assertThat(headId()).isEqualTo(before);
        assertThat(items(admin().get(LIST + "?action=" + action))).isEmpty();
        assertThat(admin().get(VERIFY).body().get("valid").asBoolean()).isTrue();
    }

    @Test
    void listPagesWithACursor() {
        String action = unique("it.page");
        for (int i = 0; i < 5; i++) {
            record(action, "customer", String.valueOf(i), Map.of("i", i));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var res = admin().get(LIST + "?limit=2&action=" + action + (cursor == null ? "" : "&cursor=" + cursor));
            items(res).forEach(item -> seen.add(item.get("targetId").asString()));
            cursor = res.str("/nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("4", "3", "2", "1", "0");
    }

    @Test
    void listFiltersByActorTargetAndTime() {
        String action = unique("it.filter");
        String actor = unique("carol");
        recordAs(actor, "req-f1", action, "10,11,12", Map.of());
        recordAs("dave", "req-f2", action, "110", Map.of());
        recordAs("dave", "req-f3", action, "11", Map.of());

        assertThat(items(admin().get(LIST + "?actor=" + actor))).hasSize(1);
        assertThat(items(admin().get(LIST + "?action=" + action + "&actor=dave"))).hasSize(2);
        // a target id matches alone or as one of a list, never as a part of another id
        assertThat(items(admin().get(LIST + "?action=" + action + "&targetType=customer&targetId=11")))
                .extracting(n -> n.get("targetId").asString()).containsExactly("11", "10,11,12");
        assertThat(items(admin().get(LIST + "?action=" + action + "&targetId=1"))).isEmpty();
        assertThat(items(admin().get(LIST + "?action=" + action + "&targetType=segment"))).isEmpty();

        String hourAgo = OffsetDateTime.now().minusHours(1).toInstant().toString();
        String hourAhead = OffsetDateTime.now().plusHours(1).toInstant().toString();
        assertThat(items(admin().get(LIST + "?action=" + action + "&from=" + hourAgo + "&to=" + hourAhead))).hasSize(3);
        assertThat(items(admin().get(LIST + "?action=" + action + "&from=" + hourAhead))).isEmpty();
        assertThat(items(admin().get(LIST + "?action=" + action + "&to=" + hourAgo))).isEmpty();
    }

    @Test
    void badListParametersAreProblems() {
        var range = admin().get(LIST + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.str("/code")).isEqualTo("invalid-time-range");
        assertThat(range.str("/title")).isEqualTo("时间范围无效");
        assertThat(admin().lang("en").get(LIST + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z").str("/title"))
                .isEqualTo("Invalid time range");

        assertThat(admin().get(LIST + "?cursor=garbage").str("/code")).isEqualTo("invalid-cursor");
        String foreignSort = java.util.Base64.getUrlEncoder().encodeToString("name\nx".getBytes());
        assertThat(admin().get(LIST + "?cursor=" + foreignSort).str("/code")).isEqualTo("invalid-cursor");
        String notANumber = java.util.Base64.getUrlEncoder().encodeToString("-id\nx".getBytes());
        assertThat(admin().get(LIST + "?cursor=" + notANumber).str("/code")).isEqualTo("invalid-cursor");
        assertThat(admin().get(LIST + "?limit=0").str("/code")).isEqualTo("invalid-limit");
        var badTime = admin().get(LIST + "?from=yesterday");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.str("/code")).isEqualTo("invalid-parameter");
    }

    @Test
    void verifyReportsAnIntactChain() {
        record(unique("it.verify"), "customer", "1", Map.of("k", "v"));
        var res = admin().lang("en").get(VERIFY);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body().get("valid").asBoolean()).as(res.toString()).isTrue();
        assertThat(res.body().get("checked").asLong()).isEqualTo(headId());
        assertThat(res.body().get("firstInvalidId").isNull()).isTrue();
        assertThat(res.body().get("reason").isNull()).isTrue();
        assertThat(res.str("/message")).startsWith("The audit log is intact");
    }

    @Test
    void verifyFindsTheFirstChangedEntry() {
        String action = unique("it.tamper");
        record(action, "customer", "7", Map.of());
        record(action, "customer", "8", Map.of());
        List<JsonNode> items = items(admin().get(LIST + "?action=" + action));
        long older = Long.parseLong(items.get(1).get("id").asString());

        tamper(older, "it.forged");
        try {
            var res = admin().get(VERIFY);
            assertThat(res.body().get("valid").asBoolean()).as(res.toString()).isFalse();
            assertThat(res.str("/firstInvalidId")).isEqualTo(String.valueOf(older));
            assertThat(res.str("/reason")).isEqualTo("hash-mismatch");
            assertThat(res.body().get("checked").asLong()).isEqualTo(older);
            assertThat(res.str("/message")).contains(String.valueOf(older));
        } finally {
            tamper(older, action);
        }
        assertThat(admin().get(VERIFY).body().get("valid").asBoolean()).isTrue();
    }

    /** Changes an entry behind the application's back (on PostgreSQL past the append-only trigger). */
    private void tamper(long id, String action) {
        tx.executeWithoutResult(status -> {
            if (TestDatabase.isPostgres()) {
                db.execute("SET LOCAL session_replication_role = replica");
            }
            int changed = db.update(table(name("audit_log"))).set(field(name("action"), String.class), action)
                    .where(field(name("id"), Long.class).eq(id)).execute();
            assertThat(changed).isEqualTo(1);
        });
    }

    @Test
    void postgresRefusesToChangeOrRemoveEntries() {
        assumeTrue(TestDatabase.isPostgres(), "the append-only trigger exists on PostgreSQL only");
        String action = unique("it.append-only");
        record(action, "customer", "1", Map.of());
        var auditLogTable = table(name("audit_log"));
        var actionField = field(name("action"), String.class);
        assertThatThrownBy(() -> db.update(auditLogTable).set(actionField, "x").where(actionField.eq(action)).execute())
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> db.deleteFrom(auditLogTable).where(actionField.eq(action)).execute())
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> db.truncate(auditLogTable).execute()).hasStackTraceContaining("append-only");
        assertThat(items(admin().get(LIST + "?action=" + action))).hasSize(1);
    }

    @Test
    void concurrentAppendsKeepOneValidChain() throws Exception {
        String action = unique("it.concurrent");
        int threads = 8;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        record(action, "customer", thread + "-" + i, Map.of("thread", thread));
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(work)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        List<JsonNode> items = items(admin().get(LIST + "?limit=500&action=" + action));
        assertThat(items).hasSize(threads * perThread);
        Set<String> ids = new HashSet<>();
        items.forEach(item -> ids.add(item.get("id").asString()));
        assertThat(ids).hasSize(threads * perThread);
        var res = admin().get(VERIFY);
        assertThat(res.body().get("valid").asBoolean()).as(res.toString()).isTrue();
    }

    @Test
    void readingTheLogIsNotAudited() {
        record(unique("it.read"), null, null, Map.of());
        long before = headId();
        admin().get(LIST);
        admin().get(VERIFY);
        assertThat(headId()).isEqualTo(before);
    }

    @Test
    void onlyHoldersOfAuditReadMayReadTheLog() {
        String username = unique("analyst");
        OffsetDateTime now = OffsetDateTime.now();
        db.insertInto(table(name("console_user")))
                .set(field(name("username"), String.class), username)
                .set(field(name("password_hash"), String.class), "{noop}analyst-pw")
                .set(field(name("role"), String.class), "analyst")
                .set(field(name("display_name"), String.class), "IT analyst")
                .set(field(name("enabled"), Boolean.class), true)
                .set(field(name("created_at"), OffsetDateTime.class), now)
                .set(field(name("updated_at"), OffsetDateTime.class), now)
                .execute();
        Api analyst = api().basic(username, "analyst-pw");
        assertThat(analyst.get("/api/v1/no-such-thing").status()).as("the analyst can sign in").isEqualTo(404);

        for (String path : List.of(LIST, VERIFY)) {
            var denied = analyst.get(path);
            assertThat(denied.status()).as(path).isEqualTo(403);
            assertThat(denied.str("/code")).isEqualTo("forbidden");
            assertThat(api().get(path).status()).isEqualTo(401);
        }
    }
}
