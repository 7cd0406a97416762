package io.siyu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.siyu.demo.DemoData;
import io.siyu.demo.DemoPerson;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPeopleIndexTest {

    private static final OffsetDateTime END = OffsetDateTime.parse("2026-11-25T00:00:00+08:00");

    @Test
    void personIsTheStreamsElementAtThatIndex() {
        List<DemoPerson> all = DemoData.people(7, 257, END).toList();
        DemoPeopleIndex index = new DemoPeopleIndex(7, 257, END);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(i), index.person(i), "person " + i);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> index.person(257));
        assertThrows(IndexOutOfBoundsException.class, () -> index.person(-1));
    }

    @Test
    void farIndexesAreReachedWithoutGeneratingTheOnesBefore() {
        DemoPeopleIndex index = new DemoPeopleIndex(7, Integer.MAX_VALUE, END);
        long t0 = System.nanoTime();
        DemoPerson p = index.person(2_000_000_000);
        assertEquals(2_000_000_000, p.index());
        // generating two billion people would take hours; the split path takes microseconds
        assertEquals(true, System.nanoTime() - t0 < 5_000_000_000L);
    }
}
