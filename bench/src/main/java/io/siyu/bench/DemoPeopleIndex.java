package io.siyu.bench;

import io.siyu.demo.DemoData;
import io.siyu.demo.DemoPerson;
import java.time.OffsetDateTime;

/**
 * Person {@code i} of the demo brand on demand, so the loader can generate chunks on all cores and
 * the workload can pick any loaded person without holding a million in memory.
 */
final class DemoPeopleIndex {

    private final long seed;
    private final int count;
    private final OffsetDateTime end;

    DemoPeopleIndex(long seed, int count, OffsetDateTime end) {
        this.seed = seed;
        this.count = count;
        this.end = end;
    }

    int count() {
        return count;
    }

    DemoPerson person(int index) {
        return DemoData.person(seed, count, end, index);
    }
}
