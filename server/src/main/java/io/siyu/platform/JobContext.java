package io.siyu.platform;

import java.util.Locale;

/**
 * A running job's line back to the job table: its id, who started it and in which language, and
 * the checkpoint where progress is recorded and a cancellation is noticed.
 */
public interface JobContext {

    long jobId();

    /** The name of the actor who started the job. */
    String createdBy();

    /** The language of the request that started the job, for messages the job writes. */
    Locale locale();

    /** Sets how many units of work there are, once known. */
    void total(long total);

    /**
     * Records that {@code done} units are done (written at most every ~200 ms, so call it freely)
     * and answers whether to go on: false once the job was cancelled, and the work should then stop
     * and return what it has done so far, which is kept as the cancelled job's result.
     */
    boolean proceed(long done);
}
