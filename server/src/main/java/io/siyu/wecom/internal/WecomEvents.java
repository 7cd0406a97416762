package io.siyu.wecom.internal;

import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.platform.BrandClock;
import io.siyu.reach.Channel;
import io.siyu.reach.ChannelRelations;
import io.siyu.staff.StaffDirectory;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a WeCom callback message means for Siyu: customer-contact changes
 * ({@code change_external_contact}) start or end a friendship between a customer and a staff member;
 * customer-group changes ({@code change_external_chat}) re-read the group from WeCom, or empty it when
 * it was dismissed. Messages of other kinds are acknowledged and ignored. Handling is idempotent, as
 * WeCom repeats a message it got no answer to.
 */
@Service
class WecomEvents {

    private static final Logger LOG = LoggerFactory.getLogger(WecomEvents.class);
    static final String SOURCE = "wecom-callback";

    private final Customers customers;
    private final ContactResolver resolver;
    private final StaffDirectory staff;
    private final ChannelRelations relations;
    private final GroupSync groups;
    private final BrandClock clock;
    private final TransactionTemplate tx;

    WecomEvents(Customers customers, ContactResolver resolver, StaffDirectory staff, ChannelRelations relations, GroupSync groups,
            BrandClock clock, TransactionTemplate tx) {
        this.tx = tx;
        this.customers = customers;
        this.resolver = resolver;
        this.staff = staff;
        this.relations = relations;
        this.groups = groups;
        this.clock = clock;
    }

    /** Handles one decrypted message (its XML fields). */
    void handle(Map<String, String> msg) {
        String event = msg.getOrDefault("Event", "");
        String change = msg.getOrDefault("ChangeType", "");
        switch (event) {
            case "change_external_contact" -> contact(change, msg);
            case "change_external_chat" -> chat(change, msg);
            default -> LOG.debug("WeCom callback {} / {} ignored", event, change);
        }
    }

    private void contact(String change, Map<String, String> msg) {
        String userId = msg.get("UserID");
        String external = msg.get("ExternalUserID");
        if (blank(userId) || blank(external)) {
            LOG.warn("WeCom contact change {} without UserID or ExternalUserID ignored", change);
            return;
        }
        switch (change) {
            case "add_external_contact", "add_half_external_contact" -> Races.retry(() -> tx.execute(s -> {
                befriend(userId, external, at(msg));
                return null;
            }));
            case "del_external_contact", "del_follow_user" -> Races.retry(() -> tx.execute(s -> {
                unfriend(userId, external, at(msg), change);
                return null;
            }));
            default -> LOG.debug("WeCom contact change {} ignored", change);
        }
    }

    /** The customer (created when new) befriends the staff member, who owns the relationship unless someone does. */
    private void befriend(String userId, String external, OffsetDateTime at) {
        // identifyAll, not identify: a lost race must roll back this whole transaction for Races to rerun it
        Map<Long, OffsetDateTime> found = resolver.resolve(List.of(new ContactResolver.External(external, null, at)), at)
                .customers();
        if (found.isEmpty()) {
            return;
        }
        long customerId = found.keySet().iterator().next();
        long staffId = staff.forWecomUser(userId);
        relations.add(customerId, Channel.WECOM_FRIEND, String.valueOf(staffId), at, SOURCE);
        if (staff.ownerOf(customerId).isEmpty()) {
            staff.assignOwner(customerId, staffId, at);
        }
    }

    private void unfriend(String userId, String external, OffsetDateTime at, String reason) {
        Optional<Long> customerId = customers.lookup(IdentityInput.of("wecom_external_userid", external));
        if (customerId.isPresent()) {
            relations.remove(customerId.get(), Channel.WECOM_FRIEND, String.valueOf(staff.forWecomUser(userId)), at,
                    reason);
        }
    }

    private void chat(String change, Map<String, String> msg) {
        String chatId = msg.get("ChatId");
        if (blank(chatId)) {
            LOG.warn("WeCom group change {} without ChatId ignored", change);
            return;
        }
        switch (change) {
            case "create", "update" -> groups.syncChat(chatId, SOURCE);
            case "dismiss" -> groups.dismissed(chatId, SOURCE);
            default -> LOG.debug("WeCom group change {} ignored", change);
        }
    }

    private OffsetDateTime at(Map<String, String> msg) {
        return SignedCallbacks.createdAt(msg, clock.now());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
