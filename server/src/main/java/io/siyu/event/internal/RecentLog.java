package io.siyu.event.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The events this instance numbered most recently, kept in memory once their transaction committed,
 * so that the log's followers in this process (the aggregates consumer, the segment engine) take them
 * from here instead of reading them back. A reader is handed only a run that starts right after its
 * offset and has no gap; anything else (events the sequencer or another instance numbered, events
 * already dropped, commits whose callbacks ran out of order) is read from the database as before.
 * Holds at most {@code siyu.events.recent-capacity} events (100,000 by default); the oldest go first.
 */
@Component
class RecentLog {

    /** What the followers read of an event: no payload, no row id. */
    record Recent(long offset, long customerId, String type, String name, String messageId, boolean system,
            OffsetDateTime occurredAt, OffsetDateTime receivedAt) {
    }

    private final int capacity;
    /** Runs of consecutive offsets, by their first offset. */
    private final TreeMap<Long, Recent[]> runs = new TreeMap<>();
    private int size;

    RecentLog(@Value("${siyu.events.recent-capacity:100000}") int capacity) {
        this.capacity = Math.max(0, capacity);
    }

    /** Adds committed events with consecutive offsets. */
    synchronized void add(Recent[] run) {
        if (run.length == 0 || run.length > capacity) {
            return;
        }
        runs.put(run[0].offset(), run);
        size += run.length;
        while (size > capacity) {
            size -= runs.pollFirstEntry().getValue().length;
        }
    }

    /**
     * Forgets everything: a merge moved events to another customer, so what is kept here may name the
     * wrong one. Called inside the merge's transaction (the aggregates consumer waits for it then) and
     * again after it committed.
     */
    synchronized void clear() {
        runs.clear();
        size = 0;
    }

    /** Up to {@code max} events following {@code afterOffset} without a gap; empty when the first is not here. */
    synchronized List<Recent> after(long afterOffset, int max) {
        List<Recent> out = new ArrayList<>();
        long want = afterOffset + 1;
        Map.Entry<Long, Recent[]> run = runs.floorEntry(want);
        while (run != null && out.size() < max) {
            Recent[] events = run.getValue();
            long first = run.getKey();
            if (first + events.length <= want) {
                break;
            }
            for (int i = (int) (want - first); i < events.length && out.size() < max; i++) {
                out.add(events[i]);
                want++;
            }
            run = runs.ceilingEntry(want);
            if (run != null && run.getKey() != want) {
                break;
            }
        }
        return out;
    }
}
