package io.siyu.event.internal.tracking;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.Resolution;
import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.event.Orders;
import io.siyu.event.internal.tracking.TrackedMessage.Completed;
import io.siyu.event.internal.tracking.TrackedMessage.NoOrder;
import io.siyu.event.internal.tracking.TrackedMessage.Refunded;
import io.siyu.platform.SiyuException;
import io.siyu.security.WriteKey;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores mapped messages. Concurrent calls are stored together: a call hands its messages to one of a
 * few writer threads and waits; a writer takes every call that is waiting (up to
 * {@code siyu.tracking.group-events} messages) and stores them in one transaction, so the statements,
 * round trips and the commit of one transaction serve many calls (group commit). Each call is
 * acknowledged only after that commit. A group that fails for a reason other than a lost race is
 * stored again call by call, so one bad call fails alone.
 *
 * <p>Within the transaction the message ids already stored are claimed first (one statement on
 * PostgreSQL; they are acknowledged, not stored again, and not resolved). Messages whose identities
 * were resolved before to one customer find it in the {@link IdentityCache}, checked against merges
 * and erasure with one query: without traits they take it as it is; the others are resolved together
 * with {@code Customers.identifyAll} (one lookup for the group's identities, except those of messages
 * whose customer the cache told, one combined write per known customer, full resolution where
 * something is new); then order changes are recorded and the events
 * appended with their offsets. A race lost to a concurrent identification rolls the whole transaction
 * back and runs it again, so what was identified and what was stored never part ways.
 */
@Component
class TrackingIngest {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingIngest.class);
    private static final int ATTEMPTS = 8;

    /** What became of a message. */
    enum Outcome { STORED, DUPLICATE }

    /** A message of a call and its index in the call's batch. */
    record Item(int index, TrackedMessage message) {
    }

    /** One call's messages, waiting for a writer, and what became of them. */
    static final class Call {
        final List<Item> items;
        final WriteKey key;
        final OffsetDateTime receivedAt;
        final Map<Integer, Outcome> outcomes = new HashMap<>();
        final Map<Integer, SiyuException> rejected = new HashMap<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Call(List<Item> items, WriteKey key, OffsetDateTime receivedAt) {
            this.items = items;
            this.key = key;
            this.receivedAt = receivedAt;
        }
    }

    /**
     * A message of a group, with the call it came in. Entries are map keys: they compare by identity,
     * so that no message, with its properties, is ever hashed.
     */
    private static final class Entry {
        final Call call;
        final Item item;
        final DedupeLedger.Claim claim;

        Entry(Call call, Item item) {
            this.call = call;
            this.item = item;
            this.claim = new DedupeLedger.Claim(call.key.id(), item.message().messageId());
        }

        TrackedMessage message() {
            return item.message();
        }

        DedupeLedger.Claim claim() {
            return claim;
        }
    }

    private final Customers customers;
    private final EventLog log;
    private final Orders orders;
    private final DedupeLedger ledger;
    private final TransactionTemplate tx;
    private final TrackingMetrics metrics;
    private final IdentityCache cache;
    private final int groupEvents;
    private final LinkedBlockingQueue<Call> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    TrackingIngest(Customers customers, EventLog log, Orders orders, DedupeLedger ledger, TransactionTemplate tx,
            TrackingMetrics metrics, IdentityCache cache,
            @Value("${siyu.tracking.writers:2}") int writerCount,
            @Value("${siyu.tracking.group-events:1000}") int groupEvents) {
        this.customers = customers;
        this.log = log;
        this.orders = orders;
        this.ledger = ledger;
        this.tx = tx;
        this.metrics = metrics;
        this.cache = cache;
        this.groupEvents = Math.max(1, groupEvents);
        for (int i = 0; i < writerCount; i++) {
            writers.add(Thread.ofPlatform().daemon().name("tracking-writer-" + i).start(this::write));
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        // writers finish the group they are storing and take no more
        running = false;
        for (Thread t : writers) {
            t.join(10_000);
        }
        // calls that arrived as the writers stopped are stored here
        for (Call c; (c = waiting.poll()) != null; ) {
            runAlone(c);
        }
    }

    /** One message; a rejection is thrown. */
    Outcome ingest(TrackedMessage m, WriteKey key, OffsetDateTime receivedAt) {
        Map<Integer, SiyuException> rejected = new HashMap<>();
        Map<Integer, Outcome> outcomes = ingest(List.of(new Item(0, m)), key, receivedAt, rejected);
        if (rejected.containsKey(0)) {
            throw rejected.get(0);
        }
        return outcomes.get(0);
    }

    /**
     * Stores a batch's messages; returns the outcome by index of those not rejected, and puts the
     * rejected ones (their identities were refused by resolution) into {@code rejected}.
     */
    Map<Integer, Outcome> ingest(List<Item> items, WriteKey key, OffsetDateTime receivedAt,
            Map<Integer, SiyuException> rejected) {
        Call call = new Call(items, key, receivedAt);
        if (items.isEmpty()) {
            return call.outcomes;
        }
        if (!running || writers.isEmpty() || TransactionSynchronizationManager.isActualTransactionActive()) {
            // a caller's own transaction must hold the writes: store in the caller's thread
            storeCalls(List.of(call));
        } else {
            waiting.add(call);
            if (!running && waiting.remove(call)) {
                storeCalls(List.of(call));
                call.done.complete(null);
            }
            await(call);
        }
        rejected.putAll(call.rejected);
        for (Item item : items) {
            Outcome o = call.outcomes.get(item.index());
            if (o == Outcome.STORED) {
                metrics.accepted(item.message().type());
            } else if (o == Outcome.DUPLICATE) {
                metrics.duplicate();
            }
        }
        return call.outcomes;
    }

    private static void await(Call call) {
        try {
            call.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the batch was being stored", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A writer: takes the waiting calls, up to the group size, and stores them together. */
    private void write() {
        while (running) {
            Call first;
            try {
                first = waiting.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            List<Call> group = new ArrayList<>();
            group.add(first);
            int size = first.items.size();
            for (Call next; size < groupEvents && (next = waiting.peek()) != null; ) {
                if (size + next.items.size() > groupEvents || !waiting.remove(next)) {
                    break;
                }
                group.add(next);
                size += next.items.size();
            }
            try {
                storeGroup(group);
            } catch (Throwable t) {
                // no call may wait forever, and the writer goes on with the next group
                group.forEach(c -> c.done.completeExceptionally(t));
                LOG.error("tracking writer failed on a group of {} calls", group.size(), t);
            }
        }
    }

    /**
     * Stores the calls together; when that fails, each alone, so a failure reaches only its call.
     * Writers call it with the calls they took; tests, to build a group on purpose.
     */
    void storeGroup(List<Call> group) {
        try {
            storeCalls(group);
            group.forEach(c -> c.done.complete(null));
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.getFirst().done.completeExceptionally(e);
                return;
            }
            LOG.debug("a group of {} calls failed together, storing them one by one", group.size(), e);
            group.forEach(this::runAlone);
        }
    }

    private void runAlone(Call call) {
        call.outcomes.clear();
        call.rejected.clear();
        try {
            storeCalls(List.of(call));
            call.done.complete(null);
        } catch (RuntimeException e) {
            call.done.completeExceptionally(e);
        }
    }

    /** Stores a group's messages and records the outcome of each in its call. */
    private void storeCalls(List<Call> group) {
        // the first of several messages with one id wins, as if they had come one by one
        Map<DedupeLedger.Claim, Entry> unique = new LinkedHashMap<>();
        for (Call call : group) {
            for (Item item : call.items) {
                Entry entry = new Entry(call, item);
                if (unique.putIfAbsent(entry.claim(), entry) != null) {
                    call.outcomes.put(item.index(), Outcome.DUPLICATE);
                }
            }
        }
        List<Entry> fresh = new ArrayList<>(unique.values());
        Stored result = storeRetrying(fresh);
        for (Entry e : fresh) {
            SiyuException refused = result.rejected().get(e);
            if (refused != null) {
                e.call.rejected.put(e.item.index(), refused);
            } else {
                e.call.outcomes.put(e.item.index(), result.claimed().contains(e.claim()) ? Outcome.STORED : Outcome.DUPLICATE);
            }
        }
        // only what committed may be remembered
        result.learned().forEach(cache::put);
    }

    /** What one store transaction did. */
    private record Stored(Set<DedupeLedger.Claim> claimed, Map<Entry, SiyuException> rejected,
            Map<List<IdentityInput>, Long> learned) {
    }

    /**
     * The store transaction, run again from the start when it lost a race with a concurrent
     * identification (a new identity inserted, a customer merged, a deadlock): each attempt sees the
     * winner's data, as single identifications do.
     */
    private Stored storeRetrying(List<Entry> entries) {
        for (int attempt = 1; ; attempt++) {
            try {
                // the first attempt expects new message ids (most are sent once); a lost race or an id
                // sent before makes it fail, and the next attempts claim what is still free
                boolean expectNew = attempt == 1;
                return tx.execute(status -> storeOnce(entries, expectNew));
            } catch (DuplicateKeyException | ConcurrencyFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                pause(attempt, e);
            } catch (SiyuException e) {
                // refused only while writing (rare): find which message by storing them one at a time
                if (entries.size() == 1) {
                    return new Stored(Set.of(), Map.of(entries.getFirst(), e), Map.of());
                }
                return storeOneByOne(entries);
            }
        }
    }

    private Stored storeOneByOne(List<Entry> entries) {
        Set<DedupeLedger.Claim> claimed = new HashSet<>();
        Map<Entry, SiyuException> rejected = new HashMap<>();
        Map<List<IdentityInput>, Long> learned = new HashMap<>();
        for (Entry entry : entries) {
            Stored one = storeRetrying(List.of(entry));
            claimed.addAll(one.claimed());
            rejected.putAll(one.rejected());
            learned.putAll(one.learned());
        }
        return new Stored(claimed, rejected, learned);
    }

    private static void pause(int attempt, RuntimeException e) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 * attempt));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /**
     * One transaction for the group: claim the message ids, resolve every claimed message to its
     * customer (cached customers checked for merges and erasure with one query, the rest identified
     * together), give back the claims of those refused, record order changes and append the events
     * with their offsets, last, so the log head is held only for the insert and the commit.
     */
    private Stored storeOnce(List<Entry> all, boolean expectNew) {
        // claimed first: a message stored before is neither resolved nor stored again
        Map<DedupeLedger.Claim, OffsetDateTime> wanted = new LinkedHashMap<>();
        all.forEach(e -> wanted.put(e.claim(), e.call.receivedAt));
        Set<DedupeLedger.Claim> claimed = new HashSet<>(ledger.claim(wanted, expectNew));
        List<Entry> entries = all.stream().filter(e -> claimed.contains(e.claim())).toList();
        Map<Entry, Long> cached = new HashMap<>();
        for (Entry e : entries) {
            if (cacheable(e.message())) {
                OptionalLong c = cache.customerOf(e.message().identities());
                if (c.isPresent()) {
                    cached.put(e, c.getAsLong());
                }
            }
        }
        Map<Long, Long> active = cached.isEmpty() ? Map.of() : customers.resolveActiveIds(new HashSet<>(cached.values()));
        Map<Entry, Long> customerOf = new HashMap<>();
        List<Entry> toIdentify = new ArrayList<>();
        Map<Entry, Long> known = new HashMap<>();
        for (Entry e : entries) {
            Long hit = cached.get(e);
            Long now = hit == null ? null : active.get(hit);
            if (now != null && CustomerTraits.NONE.equals(e.message().traits())) {
                customerOf.put(e, now);
            } else {
                if (hit != null && now == null) {
                    cache.forget(e.message().identities());
                }
                if (now != null) {
                    // traits to apply: identified, but its identities need not be looked up again
                    known.put(e, now);
                }
                toIdentify.add(e);
            }
        }
        Map<Entry, SiyuException> rejected = new HashMap<>();
        Map<List<IdentityInput>, Long> learned = new HashMap<>();
        boolean merged = false;
        if (!toIdentify.isEmpty()) {
            List<Customers.Identification> batch = new ArrayList<>(toIdentify.size());
            for (Entry e : toIdentify) {
                TrackedMessage m = e.message();
                batch.add(new Customers.Identification(identities(m), m.traits(), m.occurredAt(), known.get(e)));
            }
            List<Customers.Identified> identified = customers.identifyAll(batch);
            for (int i = 0; i < toIdentify.size(); i++) {
                Entry e = toIdentify.get(i);
                switch (identified.get(i)) {
                    case Customers.Identified.Refused refused -> rejected.put(e, refused.problem());
                    case Customers.Identified.Resolved resolved -> {
                        Resolution r = resolved.resolution();
                        customerOf.put(e, r.customerId());
                        merged |= !r.mergedCustomerIds().isEmpty();
                        TrackedMessage m = e.message();
                        if (m.previousId() == null && r.conflicts().isEmpty() && r.ignored().isEmpty()) {
                            learned.put(m.identities(), r.customerId());
                        }
                    }
                }
            }
        }
        if (!rejected.isEmpty()) {
            // a refused message was not stored: its id stays free for a corrected retry
            List<DedupeLedger.Claim> refusedIds = rejected.keySet().stream().map(Entry::claim).toList();
            ledger.release(refusedIds);
            refusedIds.forEach(claimed::remove);
        }
        // a later message of the group may have merged an earlier one's customer
        Map<Long, Long> now = merged ? customers.resolveActiveIds(new HashSet<>(customerOf.values())) : Map.of();
        List<NewEvent> events = new ArrayList<>(entries.size());
        List<Orders.Completion> completions = new ArrayList<>();
        for (Entry e : entries) {
            Long resolvedId = customerOf.get(e);
            if (resolvedId == null) {
                continue;
            }
            TrackedMessage m = e.message();
            long customerId = now.getOrDefault(resolvedId, resolvedId);
            events.add(new NewEvent(customerId, m.type(), m.name(), m.messageId(), e.call.key.id(), m.occurredAt(),
                    e.call.receivedAt, false, m.properties(), m.context()));
            switch (m.commerce()) {
                case Completed c -> completions.add(new Orders.Completion(customerId, c.order()));
                case Refunded r -> {
                    // a refund sees the orders completed before it
                    orders.recordCompleted(completions);
                    completions.clear();
                    orders.recordRefund(r.orderId(), r.amount(), m.occurredAt());
                }
                case NoOrder none -> {
                }
            }
        }
        orders.recordCompleted(completions);
        log.appendNumbered(events);
        return new Stored(claimed, rejected, learned);
    }

    /**
     * Messages whose customer the cache may tell: no alias to link. Those without traits then need
     * nothing else; those with traits are identified with the customer given, so their identities are
     * not looked up again.
     */
    private static boolean cacheable(TrackedMessage m) {
        return m.previousId() == null && !m.identities().isEmpty();
    }

    /**
     * Alias links the previous id to the user id. Segment's previousId is either an earlier user id
     * or an anonymous id: it is the first when a customer already holds it as an external id.
     */
    private List<IdentityInput> identities(TrackedMessage m) {
        if (m.previousId() == null) {
            return m.identities();
        }
        IdentityInput asUser = IdentityInput.of("external_id", m.previousId());
        List<IdentityInput> all = new ArrayList<>(m.identities());
        all.add(customers.lookup(asUser).isPresent() ? asUser : IdentityInput.of("anonymous_id", m.previousId()));
        return all;
    }
}
