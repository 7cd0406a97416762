package io.siyu.event.internal.tracking;

import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.Resolution;
import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.event.Orders;
import io.siyu.event.internal.tracking.TrackedMessage.Completed;
import io.siyu.event.internal.tracking.TrackedMessage.NoOrder;
import io.siyu.event.internal.tracking.TrackedMessage.Refunded;
import io.siyu.security.WriteKey;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores one mapped message: resolves its identities to a customer, then in one transaction claims
 * its message id, appends its event and records its order change. Resolution runs in its own
 * transaction first, because it retries on races between concurrent identifications, which a
 * surrounding transaction would not survive; a customer it created stays even if the append fails,
 * and the sender's retry then finds it.
 */
@Component
class TrackingIngest {

    /** What became of a message. */
    enum Outcome { STORED, DUPLICATE }

    private final Customers customers;
    private final EventLog log;
    private final Orders orders;
    private final DedupeLedger ledger;
    private final TransactionTemplate tx;
    private final TrackingMetrics metrics;

    TrackingIngest(Customers customers, EventLog log, Orders orders, DedupeLedger ledger, TransactionTemplate tx,
            TrackingMetrics metrics) {
        this.customers = customers;
        this.log = log;
        this.orders = orders;
        this.ledger = ledger;
        this.tx = tx;
        this.metrics = metrics;
    }

    Outcome ingest(TrackedMessage m, WriteKey key, OffsetDateTime receivedAt) {
        if (ledger.seen(key.id(), m.messageId())) {
            metrics.duplicate();
            return Outcome.DUPLICATE;
        }
        Resolution resolution = customers.identify(identities(m), m.traits(), m.occurredAt());
        Outcome outcome = tx.execute(status -> {
            if (!ledger.claim(key.id(), m.messageId(), receivedAt)) {
                return Outcome.DUPLICATE;
            }
            // a merge may have committed since resolution: follow it, or the event would be left behind
            long customerId = customers.resolveId(resolution.customerId()).orElse(resolution.customerId());
            log.append(List.of(new NewEvent(customerId, m.type(), m.name(), m.messageId(), key.id(), m.occurredAt(),
                    receivedAt, false, m.properties(), m.context())));
            switch (m.commerce()) {
                case Completed c -> orders.recordCompleted(customerId, c.order());
                case Refunded r -> orders.recordRefund(r.orderId(), r.amount(), m.occurredAt());
                case NoOrder none -> {
                }
            }
            return Outcome.STORED;
        });
        if (outcome == Outcome.STORED) {
            metrics.accepted(m.type());
        } else {
            metrics.duplicate();
        }
        return outcome;
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
