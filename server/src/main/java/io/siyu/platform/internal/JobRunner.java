package io.siyu.platform.internal;

import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.Job;
import io.siyu.platform.JobContext;
import io.siyu.platform.JobWork;
import io.siyu.platform.Jobs;
import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.RequestIds;
import io.siyu.platform.SiyuException;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs jobs on a bounded pool ({@code siyu.jobs.threads}, default 2) so that imports and recomputes
 * never starve request handling; further jobs wait queued. Each job runs as its creator, so audit
 * entries and permission checks inside it name the right person.
 */
@Service
class JobRunner implements Jobs {

    static final String INTERRUPTED = "interrupted by restart";
    /** Who may read and cancel every job, not only their own. */
    static final String ADMIN_PERMISSION = "settings:admin";
    private static final long WRITE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore store;
    private final BrandClock clock;
    private final ProblemRenderer problems;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();

    JobRunner(JobStore store, BrandClock clock, ProblemRenderer problems, ObjectMapper json,
            @Value("${siyu.jobs.threads:2}") int threads) {
        this.store = store;
        this.clock = clock;
        this.problems = problems;
        this.json = json;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "siyu-job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public Job start(String kind, JobWork work) {
        long id = store.insert(kind, Actors.currentName(), clock.now());
        Authentication creator = SecurityContextHolder.getContext().getAuthentication();
        // outside a request (setup code, schedules) messages are in the default language, zh-CN
        Locale locale = LocaleContextHolder.getLocaleContext() == null || LocaleContextHolder.getLocaleContext().getLocale() == null
                ? Locale.SIMPLIFIED_CHINESE : LocaleContextHolder.getLocale();
        String requestId = RequestIds.current();
        Running job = new Running(id, Actors.currentName(), locale);
        running.put(id, job);
        Runnable task = () -> run(job, work, creator, requestId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        executor.execute(task);
                    } else {
                        running.remove(id);
                    }
                }
            });
        } else {
            executor.execute(task);
        }
        return view(store.find(id).orElseThrow());
    }

    @Override
    public Optional<Job> find(long id) {
        return store.find(id).filter(JobRunner::visible).map(this::view);
    }

    /** Jobs the current actor may see, newest first. */
    List<JobStore.JobRow> page(String kind, Job.Status status, java.time.OffsetDateTime afterCreatedAt, Long afterId,
            int limit) {
        String owner = Actors.has(ADMIN_PERMISSION) ? null : Actors.currentName();
        return store.page(JobStore.filter(kind, status, owner), afterCreatedAt, afterId, limit);
    }

    /**
     * Cancels a job: a queued one at once, a running one at its next checkpoint. 404 for a job the
     * actor may not see, 409 for a finished one.
     */
    Job cancel(long id) {
        JobStore.JobRow row = store.find(id).filter(JobRunner::visible)
                .orElseThrow(() -> SiyuException.notFound("job-not-found", String.valueOf(id)));
        if (!store.cancelQueued(id, clock.now()) && !store.requestCancel(id)) {
            JobStore.JobRow now = store.find(id).orElse(row);
            if (now.status().finished()) {
                throw SiyuException.conflict("job-finished", String.valueOf(id), now.status().id());
            }
        }
        Running job = running.get(id);
        if (job != null) {
            job.cancelRequested = true;
        }
        return view(store.find(id).orElseThrow());
    }

    /**
     * Marks jobs left queued or running by a previous process as failed: their work was lost with
     * it. Jobs running in this process are left alone.
     */
    @EventListener(ApplicationReadyEvent.class)
    int recoverInterrupted() {
        int n = store.failUnfinished(List.copyOf(running.keySet()), INTERRUPTED, clock.now());
        if (n > 0) {
            log.warn("Marked {} job(s) left unfinished by a previous run as failed", n);
        }
        return n;
    }

    JobStore.JobRow row(long id) {
        return store.find(id).filter(JobRunner::visible)
                .orElseThrow(() -> SiyuException.notFound("job-not-found", String.valueOf(id)));
    }

    private static boolean visible(JobStore.JobRow row) {
        return Actors.has(ADMIN_PERMISSION) || row.createdBy().equals(Actors.currentName());
    }

    Job view(JobStore.JobRow r) {
        return new Job(String.valueOf(r.id()), r.kind(), r.status(), new Job.Progress(r.done(), r.total()),
                r.result() == null ? null : json.readTree(r.result()), r.error(), r.createdBy(),
                clock.local(r.createdAt()), clock.local(r.startedAt()), clock.local(r.finishedAt()));
    }

    private void run(Running job, JobWork work, Authentication creator, String requestId) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(creator);
        SecurityContextHolder.setContext(context);
        LocaleContextHolder.setLocale(job.locale);
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            if (!store.markRunning(job.id, clock.now())) {
                return;
            }
            Object result = work.run(job);
            Job.Status status = job.stopped ? Job.Status.CANCELLED : Job.Status.SUCCEEDED;
            store.finish(job.id, status, job.done, job.total, result == null ? null : json.writeValueAsString(result),
                    null, clock.now());
        } catch (SiyuException e) {
            store.finish(job.id, Job.Status.FAILED, job.done, job.total, null,
                    problems.message(e.code(), e.args(), job.locale), clock.now());
        } catch (Exception e) {
            log.error("Job {} failed", job.id, e);
            store.finish(job.id, Job.Status.FAILED, job.done, job.total, null,
                    problems.message("internal-error", List.of(), job.locale), clock.now());
        } finally {
            running.remove(job.id);
            SecurityContextHolder.clearContext();
            LocaleContextHolder.resetLocaleContext();
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    @PreDestroy
    void stop() {
        // running jobs die with the process; the next start marks them failed
        executor.shutdownNow();
    }

    /** A job of this process: its context, and what it last reported. */
    private final class Running implements JobContext {
        private final long id;
        private final String createdBy;
        private final Locale locale;
        private volatile boolean cancelRequested;
        private volatile boolean stopped;
        private volatile long done;
        private volatile Long total;
        private long lastWrite = System.nanoTime();

        Running(long id, String createdBy, Locale locale) {
            this.id = id;
            this.createdBy = createdBy;
            this.locale = locale;
        }

        @Override
        public long jobId() {
            return id;
        }

        @Override
        public String createdBy() {
            return createdBy;
        }

        @Override
        public Locale locale() {
            return locale;
        }

        @Override
        public void total(long total) {
            this.total = total;
            write();
        }

        @Override
        public boolean proceed(long done) {
            this.done = done;
            if (System.nanoTime() - lastWrite >= WRITE_INTERVAL_NANOS) {
                write();
            }
            if (cancelRequested) {
                stopped = true;
            }
            return !stopped;
        }

        private void write() {
            lastWrite = System.nanoTime();
            if (store.progress(id, done, total)) {
                cancelRequested = true;
            }
        }
    }
}
