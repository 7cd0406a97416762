package io.siyu.reach.internal;

import io.siyu.customer.CustomerErased;
import io.siyu.customer.CustomersMerged;
import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.reach.Channel;
import io.siyu.reach.ChannelRelations;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/** Channel relations and the system events that record their changes. */
@Service
class RelationService implements ChannelRelations {

    private final RelationStore store;
    private final EventLog log;
    private final ObjectMapper json;

    RelationService(RelationStore store, EventLog log, ObjectMapper json) {
        this.store = store;
        this.log = log;
        this.json = json;
    }

    @Override
    @Transactional
    public boolean add(long customerId, Channel channel, String target, OffsetDateTime since, String source) {
        if (!store.insert(customerId, channel, target, since)) {
            return false;
        }
        store.forgetEnd(customerId, channel, target);
        append(customerId, channel, channel.startedEvent(), target, since, "source", source);
        return true;
    }

    @Override
    @Transactional
    public boolean remove(long customerId, Channel channel, String target, OffsetDateTime at, String reason) {
        if (!store.delete(customerId, channel, target)) {
            return false;
        }
        store.recordEnd(customerId, channel, target, at, reason);
        append(customerId, channel, channel.endedEvent(), target, at, "reason", reason);
        return true;
    }

    private void append(long customerId, Channel channel, String event, String target, OffsetDateTime at,
            String key, String value) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(channel.targetKey(), target);
        if (value != null) {
            props.put(key, value);
        }
        log.append(List.of(NewEvent.system(customerId, event, at, json.writeValueAsString(props))));
    }

    @Override
    public Set<Long> holders(Channel channel, String target) {
        return store.holders(channel, target);
    }

    @Override
    public Map<Long, OffsetDateTime> holdersSince(Channel channel, String target) {
        return store.holdersSince(channel, target);
    }

    @Override
    public Map<Long, Ended> ended(Channel channel, String target) {
        return store.ended(channel, target);
    }

    @Override
    public List<Relation> of(long customerId) {
        return store.of(customerId);
    }

    /** The survivor holds both sides' relations (the earlier start kept where both had one). */
    @EventListener
    void on(CustomersMerged merged) {
        Map<String, Relation> mine = new LinkedHashMap<>();
        store.of(merged.survivorId()).forEach(r -> mine.put(r.channel().id() + '\u0000' + r.target(), r));
        List<Relation> theirs = store.of(merged.mergedId());
        store.deleteAll(merged.mergedId());
        for (Relation r : theirs) {
            Relation own = mine.get(r.channel().id() + '\u0000' + r.target());
            if (own == null) {
                store.insert(merged.survivorId(), r.channel(), r.target(), r.since());
                store.forgetEnd(merged.survivorId(), r.channel(), r.target());
            } else if (r.since().isBefore(own.since())) {
                store.delete(merged.survivorId(), r.channel(), r.target());
                store.insert(merged.survivorId(), r.channel(), r.target(), r.since());
            }
        }
    }

    @EventListener
    void on(CustomerErased erased) {
        store.deleteAll(erased.customerId());
    }
}
