package io.siyu.platform;

import java.util.Optional;

/**
 * Starts long-running work as jobs: each job is a row in {@code job} that the API shows at
 * {@code /api/v1/jobs/{id}} while it is queued, runs on a small bounded executor, and ends
 * succeeded, failed or cancelled. Jobs that a crash left unfinished are marked failed on startup,
 * so work is never silently lost; work started as a job should therefore be safe to run again.
 */
public interface Jobs {

    /**
     * Queues {@code work} as a job of {@code kind} (e.g. {@code import-customers}) on behalf of the
     * current actor. Inside a transaction the job is only handed to the executor after commit.
     */
    Job start(String kind, JobWork work);

    /** The job, if the current actor may read it: its creator, or an admin. */
    Optional<Job> find(long id);
}
