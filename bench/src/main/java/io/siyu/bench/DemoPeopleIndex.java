package io.siyu.bench;

import io.siyu.demo.DemoData;
import io.siyu.demo.DemoPerson;
import java.time.OffsetDateTime;
import java.util.Spliterator;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Person {@code i} of {@link DemoData#people} on demand, so the loader can generate chunks on all
 * cores and the workload can pick any loaded person without holding a million in memory.
 * {@code DemoData} hands out a stream; skipping to element {@code i} would generate every person
 * before it, so this splits the stream's (ordered, sized) spliterator instead: each split returns
 * a prefix of known size, and about log2(count) splits narrow it to the one person asked for,
 * which is the only one generated.
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
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("person " + index + " of " + count);
        }
        // a parallel pipeline's spliterator splits; a sequential one refuses to
        Spliterator<DemoPerson> rest = DemoData.people(seed, count, end).parallel().spliterator();
        long skip = index;
        while (skip > 0) {
            Spliterator<DemoPerson> prefix = rest.trySplit();
            long size = prefix == null ? -1 : prefix.getExactSizeIfKnown();
            if (size <= 0) {
                // not splittable (further): walk the remainder, generating what is skipped
                break;
            }
            if (skip < size) {
                rest = prefix;
            } else {
                skip -= size;
            }
        }
        for (; skip > 0; skip--) {
            rest.tryAdvance(p -> { });
        }
        AtomicReference<DemoPerson> found = new AtomicReference<>();
        if (!rest.tryAdvance(found::set)) {
            throw new IllegalStateException("the demo generator ended before person " + index);
        }
        return found.get();
    }
}
