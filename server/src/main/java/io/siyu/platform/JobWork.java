package io.siyu.platform;

/**
 * What a job does. It runs on the job executor with its creator's identity and language, reports
 * progress through the {@link JobContext} and returns its result (serialised as JSON; may be null).
 * A {@link SiyuException} or any other exception fails the job.
 */
@FunctionalInterface
public interface JobWork {

    Object run(JobContext context) throws Exception;
}
