package io.siyu.segment.internal;

import static io.siyu.segment.internal.SegTables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.event.DailyCountKeys;
import io.siyu.event.EventLog;
import io.siyu.event.LogHead;
import io.siyu.platform.BrandClock;
import io.siyu.segment.Rule;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongFunction;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The in-memory bitmap engine: loads every customer's facts at start, then follows the event log
 * (after the aggregates consumer, so counts are current), customers' {@code updated_at} and new RFM
 * runs, re-reading just the customers that changed. Readers evaluate under a read lock.
 */
@Component
class SegmentEngine implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentEngine.class);
    static final String AGGREGATES_CONSUMER = "customer-aggregates";
    private static final int BATCH = 5000;
    /**
     * How far back each catch-up re-reads customers' {@code updated_at}, for changes that committed
     * after a later one was read: a short window every time, the long one every few seconds (each
     * re-read returns every customer changed in its window, and under load that is many).
     */
    private static final Duration OVERLAP = Duration.ofSeconds(10);
    private static final Duration SHORT_OVERLAP = Duration.ofSeconds(1);
    private static final long LONG_OVERLAP_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final List<String> OWN_EVENTS = List.of("Segment Entered", "Segment Exited");

    /** Told about the customers whose facts were re-read, after each catch-up. */
    interface Listener {
        void changed(RoaringBitmap customers);
    }

    private final FactLoader loader;
    private final EventLog log;
    private final DSLContext db;
    private final BrandClock clock;
    private final Duration interval;
    private final Duration fullReload;
    private final Duration recheck;
    private OffsetDateTime recheckedAt;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, OffsetDateTime> recentlyUpdated = new HashMap<>();
    private volatile Facts facts;
    /**
     * Who catch-ups read in full, and the aggregates consumer's position right after the last of those
     * reads: they may have seen counts up to there, so those customers' events up to there are not
     * added to them (a catch-up that stops early, at its size cap, leaves some for the next).
     */
    private RoaringBitmap readInFull = new RoaringBitmap();
    private long readInFullUpTo;
    /**
     * The aggregates consumer's position when the last full load had finished: the load may have read
     * the counts of events up to there, so events up to there are never added to them.
     */
    private long loadedUpTo;
    private static final int SERIES_KEPT = 64;
    static final int OFFER_CHUNK = 20_000;
    private boolean offering;
    private boolean offerAgain;
    private final Map<EventSeries, Long> seriesUsed = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile long offset;
    private volatile long catchUpsStarted;
    private volatile long catchUpsFinished;
    private OffsetDateTime watermark;
    private long longOverlapAt = System.nanoTime();
    private OffsetDateTime loadedAt;
    private volatile Thread worker;
    private final boolean enabled;
    private volatile long lastLoadMillis = -1;
    private volatile long loads;
    private final io.micrometer.core.instrument.Counter customersReadInFull;
    private final io.micrometer.core.instrument.Counter eventsAdded;

    SegmentEngine(FactLoader loader, EventLog log, DSLContext db, BrandClock clock, MeterRegistry meters,
            @Value("${siyu.segment.engine.poll-interval:200ms}") Duration interval,
            @Value("${siyu.segment.engine.full-reload:24h}") Duration fullReload,
            @Value("${siyu.segment.engine.recheck:1h}") Duration recheck,
            @Value("${siyu.segment.engine.enabled:true}") boolean enabled) {
        this.enabled = enabled;
        Gauge.builder("siyu.segment.engine.bytes", this, e -> e.approximateBytes())
                .description("Approximate size of the bitmap engine's facts").baseUnit("bytes").register(meters);
        Gauge.builder("siyu.segment.engine.customers", this,
                e -> e.withFacts(f -> f.active.getCardinality()).orElse(0))
                .description("Active customers the bitmap engine holds").register(meters);
        Gauge.builder("siyu.segment.engine.load", this, e -> e.lastLoadMillis / 1000.0)
                .description("Duration of the last full load (negative before the first)").baseUnit("seconds")
                .register(meters);
        Gauge.builder("siyu.segment.engine.loads", this, e -> e.loads)
                .description("Full loads since start").register(meters);
        customersReadInFull = io.micrometer.core.instrument.Counter.builder("siyu.segment.engine.reads")
                .description("Customers the engine read again in full as they changed").register(meters);
        eventsAdded = io.micrometer.core.instrument.Counter.builder("siyu.segment.engine.added")
                .description("Events the engine added to its counts from the log without reading the customer")
                .register(meters);
        this.loader = loader;
        this.log = log;
        this.db = db;
        this.clock = clock;
        this.interval = interval;
        this.fullReload = fullReload;
        this.recheck = recheck;
    }

    /** Told, after each catch-up, whom it read in full and to whom it added events from the log (for tests). */
    interface ReadObserver {
        void caughtUp(RoaringBitmap readInFull, RoaringBitmap added);
    }

    private final List<ReadObserver> readObservers = new CopyOnWriteArrayList<>();

    void observeReads(ReadObserver observer) {
        readObservers.add(observer);
    }

    void stopObserving(ReadObserver observer) {
        readObservers.remove(observer);
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    boolean ready() {
        return facts != null;
    }

    /**
     * Waits until a catch-up that began after this call has refreshed the facts and the engine has
     * followed the log up to {@code target} (it follows the aggregates consumer, so that comes first):
     * then the facts hold every event up to there and every profile change made before the call. It
     * does not wait for that catch-up's segment and layer maintenance, which after an RFM run that
     * moved many customers can take long on H2. Wakes the worker rather than waiting for its next
     * poll. False when the engine stops or {@code wait} passes.
     */
    boolean awaitCatchUp(long target, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long after = catchUpsStarted;
        while (catchUpsFinished <= after || offset < target) {
            if (!running || System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread t = worker;
            if (t != null) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The last log offset the engine has taken in. */
    long offset() {
        return offset;
    }

    EvalTime time() {
        return new EvalTime(clock.now().atZoneSameInstant(clock.zone()).toLocalDate(), clock.zone());
    }

    /** Evaluates under the read lock; empty when the engine has not loaded yet. */
    Optional<RoaringBitmap> evaluate(Rule rule, RoaringBitmap candidates, EvalTime time,
            LongFunction<Optional<Rule>> dynamicSegments) {
        Facts f = facts;
        if (f == null) {
            return Optional.empty();
        }
        ensureSeries(EventSeries.in(rule, dynamicSegments));
        f = facts;
        lock.readLock().lock();
        try {
            RoaringBitmap universe = candidates == null ? f.active.clone() : RoaringBitmap.and(f.active, candidates);
            return Optional.of(new BitmapEvaluator(f, time, dynamicSegments).eval(rule, universe));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A rule's members and the count of every node of it (see {@link BitmapEvaluator#explain}). */
    record Explanation(RoaringBitmap members, BitmapEvaluator.Explained root, int total) {
    }

    /** Members and per-node counts in one pass, under the read lock; empty before the first load. */
    Optional<Explanation> explain(Rule rule, EvalTime time, LongFunction<Optional<Rule>> dynamicSegments) {
        if (facts == null) {
            return Optional.empty();
        }
        ensureSeries(EventSeries.in(rule, dynamicSegments));
        Facts f = facts;
        lock.readLock().lock();
        try {
            List<BitmapEvaluator.Explained> sink = new java.util.ArrayList<>(1);
            RoaringBitmap members = new BitmapEvaluator(f, time, dynamicSegments).explain(rule, f.active, sink);
            return Optional.of(new Explanation(members, sink.getFirst(), f.active.getCardinality()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code work} with the facts under the read lock (for explain), or returns empty. */
    <T> Optional<T> withFacts(java.util.function.Function<Facts, T> work) {
        Facts f = facts;
        if (f == null) {
            return Optional.empty();
        }
        lock.readLock().lock();
        try {
            return Optional.ofNullable(work.apply(f));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Makes sure the facts hold every filtered event series in {@code needed}, reading the missing
     * ones from the stored events (under the engine's monitor, so no catch-up runs meanwhile and
     * none of the series' changes is missed). Series no rule has asked for in an hour are dropped
     * once there are more than {@value #SERIES_KEPT}.
     */
    void ensureSeries(java.util.Set<EventSeries> needed) {
        if (needed.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        needed.forEach(s -> seriesUsed.put(s, now));
        if (withFacts(f -> f.series.keySet().containsAll(needed)).orElse(true)) {
            return;
        }
        synchronized (this) {
            Facts f = facts;
            for (EventSeries s : needed) {
                if (f.series.containsKey(s)) {
                    continue;
                }
                long started = System.nanoTime();
                long[][] column = loader.loadSeries(f, s);
                lock.writeLock().lock();
                try {
                    f.series.put(s, column);
                } finally {
                    lock.writeLock().unlock();
                }
                LOG.debug("Loaded event series {} in {} ms", s, (System.nanoTime() - started) / 1_000_000);
            }
            if (f.series.size() > SERIES_KEPT) {
                lock.writeLock().lock();
                try {
                    f.series.keySet().removeIf(s -> seriesUsed.getOrDefault(s, 0L) < now - 3_600_000L);
                    seriesUsed.keySet().retainAll(f.series.keySet());
                } finally {
                    lock.writeLock().unlock();
                }
            }
        }
    }

    /** Full loads since start. */
    long loadCount() {
        return loads;
    }

    long approximateBytes() {
        return withFacts(Facts::approximateBytes).orElse(0L);
    }

    /** Loads everything afresh (at start, hourly, and when asked). */
    synchronized void loadAll() {
        long started = System.nanoTime();
        long from = aggregatesPosition();
        OffsetDateTime mark = clock.now().minus(OVERLAP);
        Facts old = facts;
        Facts next = loader.loadAll(old == null ? java.util.Set.of() : java.util.Set.copyOf(old.series.keySet()));
        long after = aggregatesPosition();
        lock.writeLock().lock();
        try {
            facts = next;
            offset = from;
            watermark = mark;
            loadedAt = clock.now();
            recheckedAt = loadedAt;
            recentlyUpdated.clear();
            readInFull = new RoaringBitmap();
            readInFullUpTo = 0;
            loadedUpTo = after;
        } finally {
            lock.writeLock().unlock();
        }
        lastLoadMillis = (System.nanoTime() - started) / 1_000_000;
        loads++;
        LOG.info("Segment engine loaded {} customers in {} ms (about {} MB)", next.active.getCardinality(),
                lastLoadMillis, next.approximateBytes() / 1_000_000);
        offerAll();
    }

    /**
     * Offers every active customer to the listeners, {@value #OFFER_CHUNK} at a time in id order, and
     * catches up with the log between chunks, so re-evaluating everyone (after a load, an RFM run or
     * the hourly re-check) does not hold up the entries and exits of customers who are acting now. The
     * caller holds the monitor. Asked again while it runs (a new RFM run during a re-check), it starts
     * over once the current pass is done.
     */
    private void offerAll() {
        if (offering) {
            offerAgain = true;
            return;
        }
        offering = true;
        try {
            do {
                offerAgain = false;
                RoaringBitmap all = withFacts(f -> f.active.clone()).orElseGet(RoaringBitmap::new);
                for (RoaringBitmap chunk : chunks(all, OFFER_CHUNK)) {
                    listeners.forEach(l -> l.changed(chunk));
                    catchUp();
                }
            } while (offerAgain);
        } finally {
            offering = false;
        }
    }

    /**
     * Tells the listeners that every customer may have changed, without reading anything again: rules
     * with relative dates ("in the last 30 days", birthdays) move on with the calendar, so dynamic
     * segments, layers and tag rules re-evaluate everyone (hourly by default). A full reload, which
     * re-reads every fact, runs far less often (daily by default).
     */
    /** {@code ids} split into consecutive runs of at most {@code size} ids, in id order. */
    static List<RoaringBitmap> chunks(RoaringBitmap ids, int size) {
        List<RoaringBitmap> out = new java.util.ArrayList<>();
        int total = ids.getCardinality();
        for (int from = 0; from < total; from += size) {
            long lo = Integer.toUnsignedLong(ids.select(from));
            long hi = Integer.toUnsignedLong(ids.select(Math.min(total, from + size) - 1)) + 1;
            out.add(RoaringBitmap.and(ids, RoaringBitmap.bitmapOfRange(lo, hi)));
        }
        return out;
    }

    synchronized void recheckAll() {
        recheckedAt = clock.now();
        offerAll();
    }

    /** Re-reads the customers that changed since the last call; returns how many. */
    synchronized int catchUp() {
        if (facts == null) {
            return 0;
        }
        catchUpsStarted++;
        try {
            return catchUpOnce();
        } finally {
            catchUpsFinished = catchUpsStarted;
        }
    }

    /**
     * One catch-up. The log's heads up to the aggregates consumer's position say who acted; customers'
     * {@code updated_at} (re-read with an overlap, for changes that committed after a later one was
     * read) says whose profile changed. Most events only add to daily counts and first/last seen:
     * those are added here from the heads, as the aggregates consumer added them to the stored
     * counts, without reading anything. A customer is read again in full when their profile changed,
     * when a system event (a tag, a layer, a relation, a merge) concerns them, when the engine does
     * not hold them yet, and when their events reach no further than what a full read of them (in a
     * catch-up before, or the last full load) may have seen: that read may have gone past the position
     * it followed, so adding the same events again would count them twice.
     * Order events re-read the customer's orders, and events a filtered series counts re-read that
     * series; neither is ever added to, so reading them again is always right.
     */
    private int catchUpOnce() {
        long started = System.nanoTime();
        RoaringBitmap changed = new RoaringBitmap();
        long upTo = aggregatesPosition();
        long next = offset;
        if (upTo != offset) {
            LOG.debug("Catching up from offset {} to {}", offset, upTo);
        }
        List<LogHead> heads = new java.util.ArrayList<>();
        while (next < upTo) {
            List<LogHead> batch = log.readHeads(next, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (LogHead e : batch) {
                if (e.offset() > upTo) {
                    break;
                }
                next = e.offset();
                heads.add(e);
                if (!(e.system() && OWN_EVENTS.contains(e.name()))) {
                    changed.add((int) e.customerId());
                }
            }
            if (batch.getLast().offset() > upTo || changed.getCardinality() > 50_000) {
                break;
            }
        }
        OffsetDateTime now = clock.now();
        boolean longOverlap = System.nanoTime() - longOverlapAt >= LONG_OVERLAP_EVERY_NANOS;
        if (longOverlap) {
            longOverlapAt = System.nanoTime();
        }
        OffsetDateTime since = watermark.minus(longOverlap ? OVERLAP : SHORT_OVERLAP);
        RoaringBitmap full = new RoaringBitmap();
        for (Record2<Long, OffsetDateTime> r : db.select(ID, UPDATED_AT).from(CUSTOMER).where(UPDATED_AT.gt(since))
                .fetch()) {
            OffsetDateTime seen = recentlyUpdated.get(r.value1());
            if (seen == null || r.value2().isAfter(seen)) {
                recentlyUpdated.put(r.value1(), r.value2());
                changed.add(r.value1().intValue());
                full.add(r.value1().intValue());
            }
        }
        // remembered for the whole long window, so its next re-read does not take them for new changes
        OffsetDateTime forgetBefore = watermark.minus(OVERLAP);
        recentlyUpdated.values().removeIf(t -> t.isBefore(forgetBefore));
        boolean rfm = loader.latestRfmRun() != facts.rfmRun;
        RoaringBitmap rescored = null;
        lock.writeLock().lock();
        try {
            Facts f = facts;
            RoaringBitmap orders = new RoaringBitmap();
            RoaringBitmap series = new RoaringBitmap();
            RoaringBitmap added = new RoaringBitmap();
            java.util.Set<String> seriesNames = new java.util.HashSet<>();
            f.series.keySet().forEach(one -> seriesNames.add(one.name()));
            for (LogHead e : heads) {
                int id = (int) e.customerId();
                if (readsAgain(e, id, f)) {
                    full.add(id);
                } else if (e.name() != null && io.siyu.event.Orders.EVENTS.contains(e.name())) {
                    orders.add(id);
                }
                if (!seriesNames.isEmpty() && (seriesNames.contains(DailyCountKeys.of(e.type(), e.name()))
                        || seriesNames.contains(DailyCountKeys.view(e.type(), e.name())))) {
                    series.add(id);
                }
            }
            loader.refresh(f, full);
            orders.andNot(full);
            series.andNot(full);
            loader.refreshOrders(f, orders);
            loader.refreshSeries(f, series);
            for (LogHead e : heads) {
                int id = (int) e.customerId();
                if (!full.contains(id) && f.active.contains(id)) {
                    add(f, id, e);
                    added.add(id);
                    eventsAdded.increment();
                }
            }
            customersReadInFull.increment(full.getCardinality());
            if (!full.isEmpty()) {
                long seenUpTo = aggregatesPosition();
                if (next >= readInFullUpTo) {
                    readInFull = full;
                } else {
                    readInFull.or(full);
                }
                readInFullUpTo = Math.max(readInFullUpTo, seenUpTo);
            } else if (next >= readInFullUpTo) {
                readInFull = new RoaringBitmap();
            }
            readObservers.forEach(o -> o.caughtUp(full, added));
            if (rfm) {
                // a new RFM run: only the customers whose scores it changed need offering again
                rescored = loader.refreshRfm(f);
            }
            offset = next;
            watermark = now;
        } finally {
            lock.writeLock().unlock();
        }
        // the facts are current: a reader waiting in awaitCatchUp may go on while listeners maintain segments
        catchUpsFinished = catchUpsStarted;
        boolean many = rescored != null && rescored.getCardinality() > OFFER_CHUNK;
        if (rescored != null && !many) {
            changed.or(rescored);
        }
        if (!changed.isEmpty()) {
            RoaringBitmap ids = changed;
            listeners.forEach(l -> l.changed(ids));
        }
        if (many) {
            // a run that moved many (the first one, a new window): everyone, in chunks
            offerAll();
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        if (tookMs > 1000) {
            LOG.info("Segment engine catch-up took in {} customers ({} read in full) up to offset {} in {} ms",
                    changed.getCardinality(), full.getCardinality(), offset, tookMs);
        }
        return changed.getCardinality();
    }

    /** Whether an event's customer must be read in full rather than have the event added: see {@link #catchUpOnce}. */
    private boolean readsAgain(LogHead e, int id, Facts f) {
        return (e.system() && !OWN_EVENTS.contains(e.name())) || id >= f.capacity || !f.active.contains(id)
                || e.offset() <= loadedUpTo || (e.offset() <= readInFullUpTo && readInFull.contains(id));
    }

    /** Adds one event to the customer's daily counts and first/last seen, as the aggregates consumer does. */
    private void add(Facts f, int id, LogHead e) {
        long day = e.occurredAt().atZoneSameInstant(clock.zone()).toLocalDate().toEpochDay();
        f.count(id, DailyCountKeys.of(e.type(), e.name()), day);
        String view = DailyCountKeys.view(e.type(), e.name());
        if (view != null) {
            f.count(id, view, day);
        }
        f.seen(id, FactLoader.seconds(e.occurredAt()), e.system());
    }

    /** Reloads the stored members of a static segment (after a snapshot or upload). */
    void reloadStatic(long segmentId, boolean exists) {
        Facts f = facts;
        if (f == null) {
            return;
        }
        RoaringBitmap members = exists ? loader.staticMembers(segmentId) : null;
        lock.writeLock().lock();
        try {
            if (members == null) {
                f.staticSegments.remove(segmentId);
            } else {
                f.staticSegments.put(segmentId, members);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    long aggregatesPosition() {
        return db.select(field(name("position"), Long.class)).from(table(name("event_consumer")))
                .where(field(name("name"), String.class).eq(AGGREGATES_CONSUMER))
                .fetchOptional(0, Long.class).orElse(0L);
    }

    @Override
    public synchronized void start() {
        if (running || !enabled) {
            return;
        }
        running = true;
        LOG.debug("Segment engine starting");
        // assigned before it starts: the loop runs only while it is the current worker
        Thread t = Thread.ofPlatform().daemon().name("segment-engine").unstarted(this::run);
        worker = t;
        t.start();
    }

    private void run() {
        if (facts == null) {
            try {
                loadAll();
            } catch (RuntimeException e) {
                LOG.warn("Segment engine could not load; previews fall back to SQL until it does", e);
            }
        }
        // a stop and a start (a paused test context restarting) hand over to a new worker
        while (running && Thread.currentThread() == worker) {
            try {
                // woken early by awaitCatchUp
                java.util.concurrent.locks.LockSupport.parkNanos(interval.toNanos());
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (facts == null || Duration.between(loadedAt, clock.now()).compareTo(fullReload) > 0) {
                    loadAll();
                } else {
                    catchUp();
                    if (Duration.between(recheckedAt, clock.now()).compareTo(recheck) > 0) {
                        recheckAll();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Segment engine catch-up failed; retrying", e);
                }
            }
        }
    }

    @Override
    public void stop() {
        LOG.debug("Segment engine stopping");
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return enabled;
    }
}
