package io.siyu.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentLogTest {

    private static RecentLog.Recent[] run(long first, int n) {
        RecentLog.Recent[] r = new RecentLog.Recent[n];
        for (int i = 0; i < n; i++) {
            r[i] = new RecentLog.Recent(first + i, 7, "track", "x", "m" + (first + i), false, OffsetDateTime.MIN,
                    OffsetDateTime.MIN);
        }
        return r;
    }

    private static List<Long> offsets(List<RecentLog.Recent> events) {
        return events.stream().map(RecentLog.Recent::offset).toList();
    }

    @Test
    void handsOutConsecutiveRunsFromRightAfterTheOffset() {
        RecentLog log = new RecentLog(100);
        log.add(run(11, 5));
        log.add(run(16, 5));
        assertThat(offsets(log.after(10, 100))).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(offsets(log.after(13, 4))).containsExactly(14L, 15L, 16L, 17L);
        assertThat(log.after(20, 100)).isEmpty();
    }

    @Test
    void neverSkipsAGap() {
        RecentLog log = new RecentLog(100);
        log.add(run(11, 5));
        // 16..20 numbered elsewhere (the sequencer, another instance) or not committed yet
        log.add(run(21, 5));
        assertThat(offsets(log.after(10, 100))).containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(log.after(15, 100)).as("the reader goes to the database").isEmpty();
        assertThat(log.after(5, 100)).as("what lies before the first run is not here").isEmpty();
        assertThat(offsets(log.after(20, 100))).containsExactly(21L, 22L, 23L, 24L, 25L);
    }

    @Test
    void runsArrivingOutOfOrderJoinUp() {
        RecentLog log = new RecentLog(100);
        log.add(run(16, 5));
        assertThat(log.after(10, 100)).isEmpty();
        log.add(run(11, 5));
        assertThat(log.after(10, 100)).hasSize(10);
    }

    @Test
    void dropsTheOldestBeyondItsCapacity() {
        RecentLog log = new RecentLog(10);
        log.add(run(1, 5));
        log.add(run(6, 5));
        log.add(run(11, 5));
        assertThat(log.after(0, 100)).isEmpty();
        assertThat(offsets(log.after(5, 100))).hasSize(10).startsWith(6L).endsWith(15L);
        log.add(run(100, 11));
        assertThat(log.after(99, 100)).as("a run larger than the whole log is not kept").isEmpty();
    }
}
