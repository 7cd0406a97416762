package io.siyu.wecom.internal;

import io.siyu.platform.JobContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full sync's walk over what WeCom listed: one item at a time, with the job's progress and
 * cancellation; an item whose WeCom call fails is reported and the walk goes on.
 */
final class SyncLoop {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

    /** What the items came to (the non-null outcomes), and the items that failed. */
    record Walked<O>(List<O> outcomes, List<String> failed) {
    }

    private SyncLoop() {
    }

    /** @param job  null when not run as a job (the daily schedule) */
    static <O> Walked<O> walk(Collection<String> items, JobContext job, String what, Function<String, O> sync) {
        if (job != null) {
            job.total(items.size());
        }
        List<O> outcomes = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int done = 0;
        for (String item : items) {
            if (job != null && !job.proceed(done)) {
                break;
            }
            try {
                O o = sync.apply(item);
                if (o != null) {
                    outcomes.add(o);
                }
            } catch (WecomApi.WecomException e) {
                LOG.warn("WeCom {} {} not synced: {}", what, item, e.getMessage());
                failed.add(item);
            }
            done++;
        }
        if (job != null) {
            job.proceed(done);
        }
        return new Walked<>(outcomes, failed);
    }
}
