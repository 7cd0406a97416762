package io.siyu.segment.internal;

import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.platform.BrandClock;
import io.siyu.segment.Rule;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps dynamic segments' members current: whenever the engine re-reads customers (events,
 * profile changes, new RFM scores, the hourly reload that also moves relative dates on), it
 * re-evaluates every dynamic segment for them, stores who entered and who left, and appends
 * {@code Segment Entered} / {@code Segment Exited} system events — all in one transaction per segment.
 */
@Component
class MembershipMaintainer {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipMaintainer.class);
    static final String ENTERED = "Segment Entered";
    static final String EXITED = "Segment Exited";
    private static final int EVENT_CHUNK = 1000;

    private final SegmentEngine engine;
    private final SegmentService service;
    private final SegmentStore store;
    private final EventLog log;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final ObjectMapper json;
    private final Map<Long, RoaringBitmap> members = new HashMap<>();
    private boolean loaded;

    MembershipMaintainer(SegmentEngine engine, SegmentService service, SegmentStore store, EventLog log,
            TransactionTemplate tx, BrandClock clock, ObjectMapper json) {
        this.engine = engine;
        this.service = service;
        this.store = store;
        this.log = log;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
        engine.addListener(this::changed);
    }

    /** The outcome of bringing one segment up to date. */
    record Change(int entered, int exited, int members) {
    }

    /**
     * Re-evaluates every dynamic segment for the customers whose facts changed, and stores every
     * segment's entries and exits, with their events, in one transaction (so a catch-up costs one
     * commit however many segments moved). Should that fail, each segment is tried on its own, so
     * one broken segment does not hold up the others.
     */
    synchronized void changed(RoaringBitmap customers) {
        ensureLoaded();
        List<Pending> pending = new ArrayList<>();
        for (SegmentStore.Row row : store.dynamicSegments()) {
            try {
                diff(row, customers).ifPresent(pending::add);
            } catch (RuntimeException e) {
                LOG.warn("Could not evaluate segment {}; it is retried with the next change", row.id(), e);
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        OffsetDateTime at = clock.now();
        try {
            storeTogether(pending, at, true);
        } catch (RuntimeException e) {
            LOG.warn("Could not store the changes of {} segments together; storing them one by one", pending.size(), e);
            for (Pending p : pending) {
                try {
                    storeTogether(List.of(p), at, true);
                } catch (RuntimeException again) {
                    LOG.warn("Could not bring segment {} up to date; it is retried with the next change",
                            p.row().id(), again);
                }
            }
        }
    }

    /** One segment's entries and exits among some customers, not stored yet. */
    private record Pending(SegmentStore.Row row, RoaringBitmap entered, RoaringBitmap exited, RoaringBitmap next) {
    }

    /**
     * A segment's entries and exits among {@code candidates} (everyone when null), not stored yet;
     * empty when nothing changed or the segment has no rule.
     */
    private Optional<Pending> diff(SegmentStore.Row row, RoaringBitmap candidates) {
        Optional<Rule> rule = service.dynamicRule(row.id());
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        RoaringBitmap current = members.computeIfAbsent(row.id(), store::members);
        RoaringBitmap now = candidates == null ? service.members(rule.get()) : service.members(rule.get(), candidates);
        RoaringBitmap before = candidates == null ? current : RoaringBitmap.and(current, candidates);
        RoaringBitmap entered = RoaringBitmap.andNot(now, before);
        RoaringBitmap exited = RoaringBitmap.andNot(before, now);
        if (entered.isEmpty() && exited.isEmpty()) {
            return Optional.empty();
        }
        RoaringBitmap next = current.clone();
        next.or(entered);
        next.andNot(exited);
        return Optional.of(new Pending(row, entered, exited, next));
    }

    /** Stores the changes (and, when {@code announce}, their events) in one transaction, then remembers them. */
    private void storeTogether(List<Pending> pending, OffsetDateTime at, boolean announce) {
        tx.executeWithoutResult(s -> {
            List<NewEvent> events = new ArrayList<>();
            for (Pending p : pending) {
                store.addMembers(p.row().id(), p.entered(), at);
                store.removeMembers(p.row().id(), p.exited());
                store.setCount(p.row().id(), p.next().getCardinality(), at);
                if (announce) {
                    String props = json.writeValueAsString(Map.of("segmentId", String.valueOf(p.row().id()),
                            "segmentName", p.row().name()));
                    p.entered().forEach((int id) -> events.add(NewEvent.system(id, ENTERED, at, props)));
                    p.exited().forEach((int id) -> events.add(NewEvent.system(id, EXITED, at, props)));
                }
            }
            appendAll(events);
        });
        pending.forEach(p -> members.put(p.row().id(), p.next()));
    }

    private void appendAll(List<NewEvent> events) {
        for (int i = 0; i < events.size(); i += EVENT_CHUNK) {
            log.append(events.subList(i, Math.min(events.size(), i + EVENT_CHUNK)));
        }
    }

    /**
     * Evaluates a segment for everyone (after it was saved or its rule changed); entry and exit
     * events are appended only when {@code announce} (not for a segment's first population).
     */
    synchronized Change evaluateNow(long segmentId, boolean announce) {
        ensureLoaded();
        SegmentStore.Row row = store.find(segmentId).orElseThrow();
        return update(row, null, announce);
    }

    /** Re-evaluates all dynamic segments (after a segment another may refer to changed). */
    synchronized void evaluateAll() {
        ensureLoaded();
        for (SegmentStore.Row row : store.dynamicSegments()) {
            update(row, null, true);
        }
    }

    synchronized void forget(long segmentId) {
        members.remove(segmentId);
    }

    /** The current members as the maintainer keeps them (dynamic segments). */
    synchronized RoaringBitmap membersOf(long segmentId) {
        ensureLoaded();
        RoaringBitmap m = members.get(segmentId);
        return m == null ? store.members(segmentId) : m.clone();
    }

    private void ensureLoaded() {
        if (!loaded) {
            for (SegmentStore.Row row : store.dynamicSegments()) {
                members.put(row.id(), store.members(row.id()));
            }
            loaded = true;
        }
    }

    private Change update(SegmentStore.Row row, RoaringBitmap candidates, boolean announce) {
        if (service.dynamicRule(row.id()).isEmpty()) {
            return new Change(0, 0, row.memberCount());
        }
        Optional<Pending> change = diff(row, candidates);
        if (change.isEmpty()) {
            int count = members.get(row.id()).getCardinality();
            if (candidates == null && row.evaluatedAt() == null) {
                tx.executeWithoutResult(s -> store.setCount(row.id(), count, clock.now()));
            }
            return new Change(0, 0, count);
        }
        Pending p = change.get();
        storeTogether(List.of(p), clock.now(), announce);
        return new Change(p.entered().getCardinality(), p.exited().getCardinality(), p.next().getCardinality());
    }
}
