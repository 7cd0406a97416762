package io.siyu.demo;

import io.siyu.demo.internal.DemoPeople;
import java.time.OffsetDateTime;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The demo brand's generator, for benchmarks and tools: the same people the first start loads
 * (there through identity resolution, channel by channel), at any size and fully resolved.
 */
public final class DemoData {

    private DemoData() {
    }

    /** Person {@code index} of the same brand, generated alone (each person depends only on seed and index). */
    public static DemoPerson person(long seed, int count, OffsetDateTime end, int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("person " + index + " of " + count);
        }
        return new DemoPeople(seed, count, end).person(index);
    }

    /** People {@code 0 .. count-1} of the brand with this seed, as of {@code end}; lazily generated. */
    public static Stream<DemoPerson> people(long seed, int count, OffsetDateTime end) {
        DemoPeople people = new DemoPeople(seed, count, end);
        return IntStream.range(0, count).mapToObj(people::person);
    }
}
