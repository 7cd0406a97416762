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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
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

    private static final Logger LOG = LoggerFactory.getLogger(ContactSync.class);

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
        List<String> userIds = clients.api().contactStaff();
        if (job != null) {
            job.total(userIds.size());
        }
        int done = 0;
        int contacts = 0;
        int added = 0;
        int removed = 0;
        List<String> failed = new ArrayList<>();
        for (String userId : userIds) {
            if (job != null && !job.proceed(done)) {
                break;
            }
            try {
                Outcome o = syncStaff(userId);
                contacts += o.contacts();
                added += o.added();
                removed += o.removed();
            } catch (WecomApi.WecomException e) {
                LOG.warn("WeCom contacts of {} not synced: {}", userId, e.getMessage());
                failed.add(userId);
            }
            done++;
        }
        if (job != null) {
            job.proceed(done);
        }
        return new Summary(done - failed.size(), contacts, added, removed, failed);
    }

    /** One staff member's contacts, read from WeCom and applied; a lost race is run again once. */
    Outcome syncStaff(String userId) {
        List<WecomApi.Contact> contacts = new ArrayList<>();
        String cursor = null;
        do {
            WecomApi.ContactPage page = clients.api().contacts(userId, cursor);
            contacts.addAll(page.contacts());
            cursor = page.nextCursor();
        } while (cursor != null);
        try {
            return apply(userId, contacts);
        } catch (DuplicateKeyException | ConcurrencyFailureException e) {
            return apply(userId, contacts);
        }
    }

    private Outcome apply(String userId, List<WecomApi.Contact> contacts) {
        return tx.execute(s -> {
            OffsetDateTime now = clock.now();
            long staffId = staff.forWecomUser(userId);
            String target = String.valueOf(staffId);
            Map<Long, OffsetDateTime> friends = resolver.resolve(contacts.stream()
                    .map(c -> new ContactResolver.External(c.externalUserId(), c.unionId(), c.addedAt())).toList(), now);
            Set<Long> had = relations.holders(Channel.WECOM_FRIEND, target);
            int added = 0;
            for (var f : friends.entrySet()) {
                if (!had.contains(f.getKey()) && relations.add(f.getKey(), Channel.WECOM_FRIEND, target, f.getValue(), "sync")) {
                    added++;
                    if (staff.ownerOf(f.getKey()).isEmpty()) {
                        staff.assignOwner(f.getKey(), staffId, f.getValue());
                    }
                }
            }
            int removed = 0;
            for (long id : had) {
                if (!friends.containsKey(id)) {
                    removed += relations.remove(id, Channel.WECOM_FRIEND, target, now, "sync") ? 1 : 0;
                }
            }
            return new Outcome(userId, friends.size(), added, removed);
        });
    }
}
