package io.siyu.wecom.internal;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * WeCom external contacts to customers, in the caller's transaction: by external user id, and union
 * id when WeCom gives one; new people become customers dated when they met the brand there. Several
 * contacts that turn out to be one customer (or merge along the way) count once, from the earliest.
 */
@Component
class ContactResolver {

    private static final Logger LOG = LoggerFactory.getLogger(ContactResolver.class);

    private final Customers customers;

    ContactResolver(Customers customers) {
        this.customers = customers;
    }

    /** An external contact: ids and since when (null: now). */
    record External(String externalUserId, String unionId, OffsetDateTime since) {
    }

    /**
     * The contacts as customers: {@code customers}, the active customers they are, each with the
     * earliest time among its contacts; {@code unresolved}, customers already known by a contact that
     * resolution refused this time, whose relations a sync must leave as they are.
     */
    record Resolved(Map<Long, OffsetDateTime> customers, java.util.Set<Long> unresolved) {
    }

    Resolved resolve(List<External> contacts, OffsetDateTime now) {
        List<Customers.Identification> batch = new ArrayList<>(contacts.size());
        for (External c : contacts) {
            List<IdentityInput> ids = new ArrayList<>(2);
            ids.add(IdentityInput.of("wecom_external_userid", c.externalUserId()));
            if (c.unionId() != null) {
                ids.add(IdentityInput.of("wechat_unionid", c.unionId()));
            }
            batch.add(new Customers.Identification(ids, CustomerTraits.NONE, c.since() == null ? now : c.since()));
        }
        List<Customers.Identified> resolved = customers.identifyAll(batch);
        Map<Long, OffsetDateTime> found = new LinkedHashMap<>();
        java.util.Set<Long> unresolved = new java.util.HashSet<>();
        for (int i = 0; i < resolved.size(); i++) {
            OffsetDateTime since = contacts.get(i).since() == null ? now : contacts.get(i).since();
            if (resolved.get(i) instanceof Customers.Identified.Resolved r) {
                found.merge(r.resolution().customerId(), since, ContactResolver::earlier);
            } else if (resolved.get(i) instanceof Customers.Identified.Refused refused) {
                LOG.warn("WeCom contact {} not matched to a customer: {}", contacts.get(i).externalUserId(),
                        refused.problem().code());
                try {
                    customers.lookup(IdentityInput.of("wecom_external_userid", contacts.get(i).externalUserId()))
                            .ifPresent(unresolved::add);
                } catch (RuntimeException e) {
                    // an external user id too malformed to look up is not anyone's
                }
            }
        }
        // a merge later in the batch may have folded an earlier contact's customer into another
        Map<Long, Long> active = customers.resolveActiveIds(found.keySet());
        Map<Long, OffsetDateTime> out = new LinkedHashMap<>();
        found.forEach((id, since) -> {
            Long survivor = active.get(id);
            if (survivor != null) {
                out.merge(survivor, since, ContactResolver::earlier);
            }
        });
        return new Resolved(out, unresolved);
    }

    private static OffsetDateTime earlier(OffsetDateTime a, OffsetDateTime b) {
        return a.isBefore(b) ? a : b;
    }
}
