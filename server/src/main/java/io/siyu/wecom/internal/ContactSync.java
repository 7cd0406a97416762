package io.siyu.wecom.internal;

import io.siyu.platform.BrandClock;
import io.siyu.platform.JobContext;
import io.siyu.reach.Channel;
import io.siyu.reach.ChannelRelations;
import io.siyu.staff.StaffDirectory;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes Siyu's WeCom friendships match WeCom's contact lists: for every staff member allowed to have
 * customer contacts, reads all their contacts (outside any transaction), then in one transaction per
 * staff member resolves them to customers and adds and removes friend relations by difference. This
 * brings in the contacts made before Siyu was connected and repairs missed callbacks. Staff members
 * WeCom no longer lists keep their relations (their contacts are handed over by a transfer).
 */
@Service
class ContactSync {

    private final WecomClients clients;
    private final ContactResolver resolver;
    private final StaffDirectory staff;
    private final ChannelRelations relations;
    private final TransactionTemplate tx;
    private final BrandClock clock;

    ContactSync(WecomClients clients, ContactResolver resolver, StaffDirectory staff, ChannelRelations relations,
            TransactionTemplate tx, BrandClock clock) {
        this.clients = clients;
        this.resolver = resolver;
        this.staff = staff;
        this.relations = relations;
        this.tx = tx;
        this.clock = clock;
    }

    /** What one staff member's sync changed. */
    record Outcome(String staffUserId, int contacts, int added, int removed) {
    }

    /** What a full sync did. */
    record Summary(int staff, int contacts, int added, int removed, List<String> failed) {
    }

    Summary syncAll(JobContext job) {
        SyncLoop.Walked<Outcome> w = SyncLoop.walk(clients.api().contactStaff(), job, "contacts of", this::syncStaff);
        return new Summary(w.outcomes().size(), w.outcomes().stream().mapToInt(Outcome::contacts).sum(),
                w.outcomes().stream().mapToInt(Outcome::added).sum(), w.outcomes().stream().mapToInt(Outcome::removed).sum(),
                w.failed());
    }

    /** One staff member's contacts, read from WeCom and applied; a lost race is run again once. */
    Outcome syncStaff(String userId) {
        OffsetDateTime readFrom = clock.now();
        List<WecomApi.Contact> contacts = new ArrayList<>();
        String cursor = null;
        do {
            WecomApi.ContactPage page = clients.api().contacts(userId, cursor);
            contacts.addAll(page.contacts());
            cursor = page.nextCursor();
        } while (cursor != null);
        return Races.retry(() -> apply(userId, contacts, readFrom));
    }

    /**
     * Applies a staff member's contact list read since {@code readFrom}. What changed while it was read
     * wins over the list: a friendship that started after {@code readFrom} is not removed, one that
     * ended after it is not added back; nor is one the customer ended ({@code del_follow_user}): WeCom
     * keeps listing such a contact for the staff member, and only a new add callback starts it again.
     */
    private Outcome apply(String userId, List<WecomApi.Contact> contacts, OffsetDateTime readFrom) {
        return tx.execute(s -> {
            OffsetDateTime now = clock.now();
            long staffId = staff.forWecomUser(userId);
            String target = String.valueOf(staffId);
            ContactResolver.Resolved resolved = resolver.resolve(contacts.stream()
                    .map(c -> new ContactResolver.External(c.externalUserId(), c.unionId(), c.addedAt())).toList(), now);
            Map<Long, OffsetDateTime> friends = resolved.customers();
            Map<Long, OffsetDateTime> had = relations.holdersSince(Channel.WECOM_FRIEND, target);
            Map<Long, ChannelRelations.Ended> ended = relations.ended(Channel.WECOM_FRIEND, target);
            int added = 0;
            for (var f : friends.entrySet()) {
                ChannelRelations.Ended end = ended.get(f.getKey());
                if (had.containsKey(f.getKey()) || end != null && (end.at().isAfter(readFrom)
                        || "del_follow_user".equals(end.reason()))) {
                    continue;
                }
                if (relations.add(f.getKey(), Channel.WECOM_FRIEND, target, f.getValue(), "sync")) {
                    added++;
                    if (staff.ownerOf(f.getKey()).isEmpty()) {
                        staff.assignOwner(f.getKey(), staffId, f.getValue());
                    }
                }
            }
            int removed = 0;
            for (var h : had.entrySet()) {
                long id = h.getKey();
                if (!friends.containsKey(id) && !resolved.unresolved().contains(id) && !h.getValue().isAfter(readFrom)) {
                    removed += relations.remove(id, Channel.WECOM_FRIEND, target, now, "sync") ? 1 : 0;
                }
            }
            return new Outcome(userId, friends.size(), added, removed);
        });
    }
}
