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
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores mapped messages, a whole batch at a time. First the batch's message ids already stored
 * are looked up in one query (they are acknowledged, not stored again, and not resolved). Then each
 * remaining message is resolved to a customer: a message without traits whose identities were
 * resolved before to one customer takes that customer from the {@link IdentityCache}, checked
 * against merges and erasure with one query for the batch; any other message goes through
 * {@code Customers.identify}, in a transaction of its own because resolution retries on races
 * between concurrent identifications, which a surrounding transaction would not survive (a customer
 * it created stays even if the append fails, and the sender's retry then finds it). Finally one
 * transaction claims the message ids (one statement on PostgreSQL), follows merges committed since
 * resolution, appends every claimed event with one {@link EventLog#append} and records order
 * changes; the batch is acknowledged only after that commit.
 */
@Component
class TrackingIngest {

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
        Set<String> stored = ledger.seen(key.id(), unique.keySet());
        List<Item> fresh = new ArrayList<>();
        for (Item item : unique.values()) {
            if (stored.contains(item.message().messageId())) {
                outcomes.put(item.index(), Outcome.DUPLICATE);
            } else {
                fresh.add(item);
            }
        }
        Map<Integer, Long> customerOf = resolve(fresh, rejected);
        List<Item> toStore = fresh.stream().filter(i -> customerOf.containsKey(i.index())).toList();
        if (!toStore.isEmpty()) {
            Set<String> claimed = tx.execute(status -> store(toStore, customerOf, key, receivedAt));
            for (Item item : toStore) {
                outcomes.put(item.index(), claimed.contains(item.message().messageId()) ? Outcome.STORED : Outcome.DUPLICATE);
            }
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

    /** The customer of each message by index; messages whose resolution was refused go to {@code rejected}. */
    private Map<Integer, Long> resolve(List<Item> items, Map<Integer, SiyuException> rejected) {
        Map<Integer, Long> customerOf = new HashMap<>();
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
        for (Item item : items) {
            TrackedMessage m = item.message();
            Long hit = cached.get(item.index());
            if (hit != null && active.containsKey(hit)) {
                customerOf.put(item.index(), active.get(hit));
                continue;
            }
            if (hit != null) {
                cache.forget(m.identities());
            }
            // an earlier message of this batch may have just resolved the same person
            OptionalLong again = cacheable(m) ? cache.customerOf(m.identities()) : OptionalLong.empty();
            if (again.isPresent()) {
                customerOf.put(item.index(), again.getAsLong());
                continue;
            }
            try {
                Resolution r = customers.identify(identities(m), m.traits(), m.occurredAt());
                customerOf.put(item.index(), r.customerId());
                if (m.previousId() == null && r.conflicts().isEmpty() && r.ignored().isEmpty()) {
                    cache.put(m.identities(), r.customerId());
                }
            } catch (SiyuException e) {
                rejected.put(item.index(), e);
            }
        }
        return customerOf;
    }

    /** Messages that only need their customer: nothing to apply to the profile, no alias to link. */
    private static boolean cacheable(TrackedMessage m) {
        return m.previousId() == null && CustomerTraits.NONE.equals(m.traits()) && !m.identities().isEmpty();
    }

    private Set<String> store(List<Item> items, Map<Integer, Long> customerOf, WriteKey key, OffsetDateTime receivedAt) {
        List<String> ids = items.stream().map(i -> i.message().messageId()).toList();
        Set<String> claimed = ledger.claim(key.id(), ids, receivedAt);
        if (claimed.isEmpty()) {
            return claimed;
        }
        // a merge may have committed since resolution: follow it, or the event would be left behind
        Set<Long> resolved = new HashSet<>();
        items.forEach(i -> resolved.add(customerOf.get(i.index())));
        Map<Long, Long> now = customers.resolveActiveIds(resolved);
        List<NewEvent> events = new ArrayList<>(claimed.size());
        List<Runnable> orderChanges = new ArrayList<>();
        for (Item item : items) {
            TrackedMessage m = item.message();
            if (!claimed.contains(m.messageId())) {
                continue;
            }
            long resolvedId = customerOf.get(item.index());
            long customerId = now.getOrDefault(resolvedId, resolvedId);
            events.add(new NewEvent(customerId, m.type(), m.name(), m.messageId(), key.id(), m.occurredAt(), receivedAt,
                    false, m.properties(), m.context()));
            switch (m.commerce()) {
                case Completed c -> orderChanges.add(() -> orders.recordCompleted(customerId, c.order()));
                case Refunded r -> orderChanges.add(() -> orders.recordRefund(r.orderId(), r.amount(), m.occurredAt()));
                case NoOrder none -> {
                }
            }
        }
        log.append(events);
        orderChanges.forEach(Runnable::run);
        return claimed;
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
