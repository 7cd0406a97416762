package io.siyu.tag.internal;

import io.siyu.customer.CustomerErased;
import io.siyu.customer.CustomersMerged;
import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.SiyuException;
import io.siyu.tag.TagChanged;
import io.siyu.tag.TagSource;
import io.siyu.tag.TagSyncTarget;
import io.siyu.tag.Tags;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * Assigns and removes tags. Every change is recorded with its source, actor and time, appended to
 * the event log as a system event ({@code Tag Added} / {@code Tag Removed}) in the same
 * transaction, and handed to the sync targets after commit. In an exclusive group a new tag
 * replaces the customer's other tag of that group.
 */
@Service
class TagService implements Tags {

    static final String ADDED = "added";
    static final String REMOVED = "removed";
    static final String EXPIRED = "expired";

    private final TagStore store;
    private final EventLog log;
    private final List<TagSyncTarget> targets;
    private final BrandClock clock;
    private final ObjectMapper json;

    TagService(TagStore store, EventLog log, List<TagSyncTarget> targets, BrandClock clock, ObjectMapper json) {
        this.store = store;
        this.log = log;
        this.targets = List.copyOf(targets);
        this.clock = clock;
        this.json = json;
    }

    @Override
    public Set<Long> tagsOf(long customerId) {
        return store.assignments(customerId).stream().map(TagStore.Assignment::tagId).collect(Collectors.toSet());
    }

    @Override
    @Transactional
    public boolean assign(long customerId, long tagId, TagSource source, OffsetDateTime expiresAt) {
        TagStore.TagRow tag = store.tag(tagId).orElseThrow(() -> SiyuException.notFound("tag-not-found", String.valueOf(tagId)));
        TagStore.Group group = store.group(tag.groupId()).orElseThrow();
        OffsetDateTime now = clock.now();
        OffsetDateTime expiry = expiresAt != null ? expiresAt
                : tag.ttlDays() == null ? null : now.plusDays(tag.ttlDays());
        if (expiry != null && !expiry.isAfter(now)) {
            throw SiyuException.unprocessable("tag-expiry-in-past");
        }
        var existing = store.assignment(customerId, tagId);
        if (existing.isPresent()) {
            if (!java.util.Objects.equals(existing.get().expiresAt(), expiry)) {
                store.updateExpiry(customerId, tagId, expiry);
            }
            return false;
        }
        if (group.exclusive()) {
            for (TagStore.Assignment held : store.assignments(customerId)) {
                TagStore.TagRow other = store.tag(held.tagId()).orElseThrow();
                if (other.groupId() == group.id()) {
                    removeHeld(customerId, other, group, REMOVED, source, now);
                }
            }
        }
        store.insertAssignment(new TagStore.Assignment(customerId, tagId, source.id(), now, Actors.currentName(), expiry));
        record(customerId, tag, group, ADDED, source, now);
        return true;
    }

    @Override
    @Transactional
    public boolean remove(long customerId, long tagId, TagSource source) {
        TagStore.TagRow tag = store.tag(tagId).orElseThrow(() -> SiyuException.notFound("tag-not-found", String.valueOf(tagId)));
        TagStore.Group group = store.group(tag.groupId()).orElseThrow();
        return removeHeld(customerId, tag, group, REMOVED, source, clock.now());
    }

    private boolean removeHeld(long customerId, TagStore.TagRow tag, TagStore.Group group, String kind, TagSource source,
            OffsetDateTime now) {
        if (!store.deleteAssignment(customerId, tag.id())) {
            return false;
        }
        record(customerId, tag, group, kind, source, now);
        return true;
    }

    /** Removes assignments whose expiry passed; returns how many. Called by the scheduler. */
    @Transactional
    int expire(int max) {
        OffsetDateTime now = clock.now();
        List<TagStore.Assignment> due = store.expiredBefore(now, max);
        for (TagStore.Assignment a : due) {
            TagStore.TagRow tag = store.tag(a.tagId()).orElseThrow();
            removeHeld(a.customerId(), tag, store.group(tag.groupId()).orElseThrow(), EXPIRED,
                    TagSource.fromId(a.source()).orElse(TagSource.MANUAL), now);
        }
        return due.size();
    }

    private void record(long customerId, TagStore.TagRow tag, TagStore.Group group, String kind, TagSource source,
            OffsetDateTime now) {
        store.recordChange(customerId, tag.id(), kind, source.id(), Actors.currentName(), now);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tagId", String.valueOf(tag.id()));
        props.put("tag", tag.name());
        props.put("group", group.name());
        props.put("source", source.id());
        if (!kind.equals(ADDED)) {
            props.put("reason", kind);
        }
        log.append(List.of(NewEvent.system(customerId, kind.equals(ADDED) ? "Tag Added" : "Tag Removed", now,
                json.writeValueAsString(props))));
        TagChanged change = new TagChanged(customerId, tag.id(), tag.name(), group.name(), kind, source, now);
        if (!targets.isEmpty() && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    targets.forEach(t -> t.tagsChanged(change));
                }
            });
        }
    }

    /** The survivor holds every tag either held (earliest assignment kept, later expiry kept); history moves too. */
    @EventListener
    void on(CustomersMerged merged) {
        List<TagStore.Assignment> theirs = store.assignments(merged.mergedId());
        Map<Long, TagStore.Assignment> mine = new LinkedHashMap<>();
        store.assignments(merged.survivorId()).forEach(a -> mine.put(a.tagId(), a));
        store.deleteAssignments(merged.mergedId());
        for (TagStore.Assignment a : theirs) {
            TagStore.Assignment own = mine.get(a.tagId());
            if (own == null) {
                store.insertAssignment(new TagStore.Assignment(merged.survivorId(), a.tagId(), a.source(), a.assignedAt(),
                        a.assignedBy(), a.expiresAt()));
            } else if (own.expiresAt() != null && (a.expiresAt() == null || a.expiresAt().isAfter(own.expiresAt()))) {
                store.updateExpiry(merged.survivorId(), a.tagId(), a.expiresAt());
            }
        }
        store.moveHistory(merged.mergedId(), merged.survivorId());
    }

    @EventListener
    void on(CustomerErased erased) {
        store.deleteAssignments(erased.customerId());
    }

    /** Assigns one tag to many active customers; the ids that were unknown or inactive are passed through. */
    @Transactional
    BulkResult assignAll(long tagId, List<Long> customerIds, OffsetDateTime expiresAt, List<String> notFound) {
        int added = 0;
        int already = 0;
        for (long id : customerIds) {
            if (assign(id, tagId, TagSource.MANUAL, expiresAt)) {
                added++;
            } else {
                already++;
            }
        }
        return new BulkResult(added, already, notFound);
    }

    @Transactional
    BulkResult removeAll(long tagId, List<Long> customerIds) {
        int removed = 0;
        int notHeld = 0;
        for (long id : customerIds) {
            if (remove(id, tagId, TagSource.MANUAL)) {
                removed++;
            } else {
                notHeld++;
            }
        }
        return new BulkResult(removed, notHeld, List.of());
    }

    /** Counts of a bulk change. */
    record BulkResult(int changed, int unchanged, List<String> notFound) {
    }
}
