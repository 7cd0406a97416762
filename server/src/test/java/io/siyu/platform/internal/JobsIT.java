package io.siyu.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.platform.Job;
import io.siyu.platform.Jobs;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class JobsIT extends ApiTest {

    @Autowired
    Jobs jobs;

    @Autowired
    JobRunner runner;

    @Autowired
    DSLContext db;

    private JsonNode await(String id) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Api.Res res = admin().get("/api/v1/jobs/" + id);
            if (Job.Status.fromId(res.str("/status")).orElseThrow().finished()) {
                return res.body();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    @Test
    void aJobShowsItsProgressWhileRunningAndItsResultWhenDone() throws Exception {
        String kind = "test-" + UUID.randomUUID();
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Job queued = jobs.start(kind, ctx -> {
            ctx.total(10);
            ctx.proceed(5);
            Thread.sleep(250);
            ctx.proceed(5);
            halfway.countDown();
            release.await(10, TimeUnit.SECONDS);
            ctx.proceed(10);
            return Map.of("answer", 42);
        });
        assertThat(queued.status()).isIn(Job.Status.QUEUED, Job.Status.RUNNING);
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
        Api.Res running = admin().get("/api/v1/jobs/" + queued.id());
        assertThat(running.str("/status")).isEqualTo("running");
        assertThat(running.body().at("/progress/done").asLong()).isEqualTo(5);
        assertThat(running.body().at("/progress/total").asLong()).isEqualTo(10);
        release.countDown();
        JsonNode done = await(queued.id());
        assertThat(done.at("/status").asString()).isEqualTo("succeeded");
        assertThat(done.at("/result/answer").asInt()).isEqualTo(42);
        assertThat(done.at("/progress/done").asLong()).isEqualTo(10);
        assertThat(done.at("/startedAt").isNull()).isFalse();
        assertThat(done.at("/finishedAt").isNull()).isFalse();
    }

    @Test
    void aFailingJobKeepsItsErrorInTheCreatorsLanguage() throws Exception {
        Job job = jobs.start("test-" + UUID.randomUUID(), ctx -> {
            throw io.siyu.platform.SiyuException.notFound("job-not-found", "x");
        });
        JsonNode done = await(job.id());
        assertThat(done.at("/status").asString()).isEqualTo("failed");
        assertThat(done.at("/error").asString()).isEqualTo("任务 x 不存在，或你没有权限查看");
    }

    @Test
    void listsJobsNewestFirstFilteredByKindAndStatusWithCursors() throws Exception {
        String kind = "test-" + UUID.randomUUID();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(jobs.start(kind, ctx -> null).id());
        }
        for (String id : ids) {
            await(id);
        }
        Api.Res first = admin().get("/api/v1/jobs?kind=" + kind + "&status=succeeded&limit=2");
        assertThat(first.body().at("/items").findValuesAsString("id")).containsExactly(ids.get(2), ids.get(1));
        Api.Res second = admin().get("/api/v1/jobs?kind=" + kind + "&limit=2&cursor=" + first.str("/nextCursor"));
        // a cursor is bound to the sort, not to the filters; the same filters continue the list
        assertThat(second.body().at("/items").findValuesAsString("id")).containsExactly(ids.get(0));
        assertThat(second.body().at("/nextCursor").isNull()).isTrue();
        assertThat(admin().get("/api/v1/jobs?kind=" + kind + "&status=failed").body().at("/items")).isEmpty();
        assertThat(admin().get("/api/v1/jobs?status=done").status()).isEqualTo(400);
        assertThat(admin().get("/api/v1/jobs/999999999").status()).isEqualTo(404);
        assertThat(api().get("/api/v1/jobs").status()).isEqualTo(401);
    }

    @Test
    void aQueuedJobIsCancelledAtOnce() throws Exception {
        // fill both workers so that the next job waits in the queue
        CountDownLatch release = new CountDownLatch(1);
        String kind = "test-" + UUID.randomUUID();
        List<Job> blockers = List.of(jobs.start(kind, ctx -> release.await(10, TimeUnit.SECONDS)),
                jobs.start(kind, ctx -> release.await(10, TimeUnit.SECONDS)));
        boolean[] ran = {false};
        Job waiting = jobs.start(kind, ctx -> ran[0] = true);
        try {
            Api.Res cancelled = admin().post("/api/v1/jobs/" + waiting.id() + "/cancel", null);
            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
            assertThat(cancelled.str("/status")).isEqualTo("cancelled");
        } finally {
            release.countDown();
        }
        for (Job b : blockers) {
            await(b.id());
        }
        Thread.sleep(200);
        assertThat(ran[0]).isFalse();
        assertThat(admin().get("/api/v1/jobs/" + waiting.id()).str("/status")).isEqualTo("cancelled");
    }

    @Test
    void jobsLeftUnfinishedByACrashAreMarkedFailedOnRecovery() {
        OffsetDateTime now = OffsetDateTime.now();
        long running = db.insertInto(JobStore.T).set(JobStore.KIND, "test-crash").set(JobStore.STATUS, "running")
                .set(JobStore.DONE, 7L).set(JobStore.CREATED_BY, "admin").set(JobStore.CREATED_AT, now)
                .set(JobStore.STARTED_AT, now).set(JobStore.CANCEL, false).returningResult(JobStore.ID)
                .fetchOne(r -> r.get(JobStore.ID));
        long queued = db.insertInto(JobStore.T).set(JobStore.KIND, "test-crash").set(JobStore.STATUS, "queued")
                .set(JobStore.DONE, 0L).set(JobStore.CREATED_BY, "admin").set(JobStore.CREATED_AT, now)
                .set(JobStore.CANCEL, false).returningResult(JobStore.ID).fetchOne(r -> r.get(JobStore.ID));
        assertThat(runner.recoverInterrupted()).isGreaterThanOrEqualTo(2);
        for (long id : List.of(running, queued)) {
            Api.Res res = admin().get("/api/v1/jobs/" + id);
            assertThat(res.str("/status")).isEqualTo("failed");
            assertThat(res.str("/error")).isEqualTo("interrupted by restart");
            assertThat(res.body().at("/finishedAt").isNull()).isFalse();
        }
        assertThat(admin().get("/api/v1/jobs/" + running).body().at("/progress/done").asLong()).isEqualTo(7);
    }
}
