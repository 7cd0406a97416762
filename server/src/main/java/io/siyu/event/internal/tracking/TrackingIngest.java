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
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores mapped messages, a whole batch at a time. The batch's message ids already stored are looked
 * up first with one query (they are acknowledged, not stored again, and not resolved). The rest is one
 * transaction: messages without traits whose identities were resolved before to one customer take it
 * from the {@link IdentityCache}, checked against merges and erasure with one query; the others are
 * resolved together with {@code Customers.identifyAll} (one lookup for the batch's identities, one
 * combined write per known customer, full resolution where something is new); then the message ids
 * are claimed (one statement on PostgreSQL), order changes recorded, and the events appended with
 * their offsets. The batch is acknowledged only after that commit. A race lost to a concurrent
 * identification rolls the whole transaction back and runs it again, so what was identified and what
 * was stored never part ways.
 */
@Component
class TrackingIngest {

    private static final int ATTEMPTS = 8;

    /** What became of a message. */
    enum Outcome { STORED, DUPLICATE }

    /** A message of a call and its index in the call's batch. */
    record Item(int index, TrackedMessage message) {
    }

    private final Customers customers;
    private final EventLog log;
    private final Orders orders;
    private final DedupeLedger ledger;
    private final TransactionTemplate tx;
    private final TrackingMetrics metrics;
    private final IdentityCache cache;

    TrackingIngest(Customers customers, EventLog log, Orders orders, DedupeLedger ledger, TransactionTemplate tx,
            TrackingMetrics metrics, IdentityCache cache) {
        this.customers = customers;
        this.log = log;
        this.orders = orders;
        this.ledger = ledger;
        this.tx = tx;
        this.metrics = metrics;
        this.cache = cache;
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
        Map<Integer, Outcome> outcomes = new HashMap<>();
        // the first of several messages with one id in a batch wins, as if they had come one by one
        Map<String, Item> unique = new LinkedHashMap<>();
        for (Item item : items) {
            if (unique.putIfAbsent(item.message().messageId(), item) != null) {
                outcomes.put(item.index(), Outcome.DUPLICATE);
            }
        }
        List<Item> fresh = new ArrayList<>(unique.values());
        if (!fresh.isEmpty()) {
            Stored result = storeRetrying(fresh, key, receivedAt);
            rejected.putAll(result.rejected());
            for (Item item : fresh) {
                if (!result.rejected().containsKey(item.index())) {
                    outcomes.put(item.index(),
                            result.claimed().contains(item.message().messageId()) ? Outcome.STORED : Outcome.DUPLICATE);
                }
            }
            // only what committed may be remembered
            result.learned().forEach(cache::put);
        }
        for (Item item : items) {
            Outcome o = outcomes.get(item.index());
            if (o == Outcome.STORED) {
                metrics.accepted(item.message().type());
            } else if (o == Outcome.DUPLICATE) {
                metrics.duplicate();
            }
        }
        return outcomes;
    }

    /** What one store transaction did. */
    private record Stored(Set<String> claimed, Map<Integer, SiyuException> rejected,
            Map<List<IdentityInput>, Long> learned) {
    }

    /**
     * The store transaction, run again from the start when it lost a race with a concurrent
     * identification (a new identity inserted, a customer merged, a deadlock): each attempt sees the
     * winner's data, as single identifications do.
     */
    private Stored storeRetrying(List<Item> items, WriteKey key, OffsetDateTime receivedAt) {
        List<Item> pending = items;
        Map<Integer, SiyuException> refusedWhileWriting = new HashMap<>();
        for (int attempt = 1; ; attempt++) {
            List<Item> now = pending;
            try {
                Stored s = tx.execute(status -> store(now, key, receivedAt));
                s.rejected().putAll(refusedWhileWriting);
                return s;
            } catch (DuplicateKeyException | ConcurrencyFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                pause(attempt, e);
            } catch (SiyuException e) {
                // refused only while writing (rare): find which message by storing them one at a time
                if (pending.size() == 1) {
                    refusedWhileWriting.put(pending.getFirst().index(), e);
                    return new Stored(Set.of(), refusedWhileWriting, Map.of());
                }
                return storeOneByOne(pending, key, receivedAt);
            }
        }
    }

    private Stored storeOneByOne(List<Item> items, WriteKey key, OffsetDateTime receivedAt) {
        Set<String> claimed = new HashSet<>();
        Map<Integer, SiyuException> rejected = new HashMap<>();
        Map<List<IdentityInput>, Long> learned = new HashMap<>();
        for (Item item : items) {
            Stored one = storeRetrying(List.of(item), key, receivedAt);
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
     * One transaction for the batch: resolve every message to its customer (cached customers checked
     * for merges and erasure with one query, the rest identified together), claim the message ids of
     * those not refused, record order changes and append the events with their offsets, last, so the
     * log head is held only for the insert and the commit.
     */
    private Stored store(List<Item> all, WriteKey key, OffsetDateTime receivedAt) {
        // claimed first: a message stored before is neither resolved nor stored again
        Set<String> claimed = new HashSet<>(ledger.claim(key.id(),
                all.stream().map(i -> i.message().messageId()).toList(), receivedAt));
        List<Item> items = all.stream().filter(i -> claimed.contains(i.message().messageId())).toList();
        Map<Integer, Long> cached = new HashMap<>();
        for (Item item : items) {
            if (cacheable(item.message())) {
                OptionalLong c = cache.customerOf(item.message().identities());
                if (c.isPresent()) {
                    cached.put(item.index(), c.getAsLong());
                }
            }
        }
        Map<Long, Long> active = cached.isEmpty() ? Map.of() : customers.resolveActiveIds(new HashSet<>(cached.values()));
        Map<Integer, Long> customerOf = new HashMap<>();
        List<Item> toIdentify = new ArrayList<>();
        for (Item item : items) {
            Long hit = cached.get(item.index());
            if (hit != null && active.containsKey(hit)) {
                customerOf.put(item.index(), active.get(hit));
            } else {
                if (hit != null) {
                    cache.forget(item.message().identities());
                }
                toIdentify.add(item);
            }
        }
        Map<Integer, SiyuException> rejected = new HashMap<>();
        Map<List<IdentityInput>, Long> learned = new HashMap<>();
        boolean merged = false;
        if (!toIdentify.isEmpty()) {
            List<Customers.Identification> batch = new ArrayList<>(toIdentify.size());
            for (Item item : toIdentify) {
                TrackedMessage m = item.message();
                batch.add(new Customers.Identification(identities(m), m.traits(), m.occurredAt()));
            }
            List<Customers.Identified> identified = customers.identifyAll(batch);
            for (int i = 0; i < toIdentify.size(); i++) {
                Item item = toIdentify.get(i);
                switch (identified.get(i)) {
                    case Customers.Identified.Refused refused -> rejected.put(item.index(), refused.problem());
                    case Customers.Identified.Resolved resolved -> {
                        Resolution r = resolved.resolution();
                        customerOf.put(item.index(), r.customerId());
                        merged |= !r.mergedCustomerIds().isEmpty();
                        TrackedMessage m = item.message();
                        if (m.previousId() == null && r.conflicts().isEmpty() && r.ignored().isEmpty()) {
                            learned.put(m.identities(), r.customerId());
                        }
                    }
                }
            }
        }
        if (!rejected.isEmpty()) {
            // a refused message was not stored: its id stays free for a corrected retry
            List<String> refusedIds = items.stream().filter(i -> rejected.containsKey(i.index()))
                    .map(i -> i.message().messageId()).toList();
            ledger.release(key.id(), refusedIds);
            refusedIds.forEach(claimed::remove);
        }
        List<Item> accepted = items.stream().filter(i -> customerOf.containsKey(i.index())).toList();
        // a later message of the batch may have merged an earlier one's customer
        Map<Long, Long> now = merged ? customers.resolveActiveIds(new HashSet<>(customerOf.values())) : Map.of();
        List<NewEvent> events = new ArrayList<>(claimed.size());
        for (Item item : accepted) {
            TrackedMessage m = item.message();
            long resolvedId = customerOf.get(item.index());
            long customerId = now.getOrDefault(resolvedId, resolvedId);
            events.add(new NewEvent(customerId, m.type(), m.name(), m.messageId(), key.id(), m.occurredAt(), receivedAt,
                    false, m.properties(), m.context()));
            switch (m.commerce()) {
                case Completed c -> orders.recordCompleted(customerId, c.order());
                case Refunded r -> orders.recordRefund(r.orderId(), r.amount(), m.occurredAt());
                case NoOrder none -> {
                }
            }
        }
        log.appendNumbered(events);
        return new Stored(claimed, rejected, learned);
    }

    /** Messages that only need their customer: nothing to apply to the profile, no alias to link. */
    private static boolean cacheable(TrackedMessage m) {
        return m.previousId() == null && CustomerTraits.NONE.equals(m.traits()) && !m.identities().isEmpty();
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
