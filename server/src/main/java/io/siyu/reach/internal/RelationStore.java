package io.siyu.reach.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.reach.Channel;
import io.siyu.reach.ChannelRelations.Relation;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** channel_relation. */
@Repository
class RelationStore {

    static final Table<Record> RELATION = table(name("channel_relation"));
    static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
    static final Field<String> CHANNEL = field(name("channel"), String.class);
    static final Field<String> TARGET = field(name("target"), String.class);
    static final Field<OffsetDateTime> SINCE = field(name("since"), OffsetDateTime.class);

    private final DSLContext db;

    RelationStore(DSLContext db) {
        this.db = db;
    }

    /** Inserts unless present; whether it was inserted. */
    boolean insert(long customerId, Channel channel, String target, OffsetDateTime since) {
        return db.insertInto(RELATION).set(CUSTOMER_ID, customerId).set(CHANNEL, channel.id()).set(TARGET, target)
                .set(SINCE, since)
                .onConflict(field(name("channel_relation", "customer_id")), field(name("channel_relation", "channel")),
                        field(name("channel_relation", "target"))).doNothing()   // qualified, for H2's MERGE
                .execute() == 1;
    }

    static final Table<Record> ENDED = table(name("channel_relation_end"));
    static final Field<OffsetDateTime> ENDED_AT = field(name("ended_at"), OffsetDateTime.class);
    static final Field<String> REASON = field(name("reason"), String.class);

    /** Remembers the end (replacing an earlier one). */
    void recordEnd(long customerId, Channel channel, String target, OffsetDateTime at, String reason) {
        forgetEnd(customerId, channel, target);
        db.insertInto(ENDED).set(CUSTOMER_ID, customerId).set(CHANNEL, channel.id()).set(TARGET, target)
                .set(ENDED_AT, at).set(REASON, reason).execute();
    }

    void forgetEnd(long customerId, Channel channel, String target) {
        db.deleteFrom(ENDED).where(CUSTOMER_ID.eq(customerId), CHANNEL.eq(channel.id()), TARGET.eq(target)).execute();
    }

    java.util.Map<Long, io.siyu.reach.ChannelRelations.Ended> ended(Channel channel, String target) {
        java.util.Map<Long, io.siyu.reach.ChannelRelations.Ended> out = new java.util.HashMap<>();
        db.select(CUSTOMER_ID, ENDED_AT, REASON).from(ENDED).where(CHANNEL.eq(channel.id()), TARGET.eq(target))
                .forEach(r -> out.put(r.get(CUSTOMER_ID), new io.siyu.reach.ChannelRelations.Ended(r.get(ENDED_AT),
                        r.get(REASON))));
        return out;
    }

    java.util.Map<Long, OffsetDateTime> holdersSince(Channel channel, String target) {
        java.util.Map<Long, OffsetDateTime> out = new java.util.HashMap<>();
        db.select(CUSTOMER_ID, SINCE).from(RELATION).where(CHANNEL.eq(channel.id()), TARGET.eq(target))
                .forEach(r -> out.put(r.get(CUSTOMER_ID), r.get(SINCE)));
        return out;
    }

    boolean delete(long customerId, Channel channel, String target) {
        return db.deleteFrom(RELATION).where(CUSTOMER_ID.eq(customerId), CHANNEL.eq(channel.id()), TARGET.eq(target))
                .execute() == 1;
    }

    Set<Long> holders(Channel channel, String target) {
        return new HashSet<>(db.select(CUSTOMER_ID).from(RELATION).where(CHANNEL.eq(channel.id()), TARGET.eq(target))
                .fetch(CUSTOMER_ID));
    }

    List<Relation> of(long customerId) {
        return db.select(CUSTOMER_ID, CHANNEL, TARGET, SINCE).from(RELATION).where(CUSTOMER_ID.eq(customerId))
                .orderBy(CHANNEL, TARGET)
                .fetch(r -> new Relation(r.get(CUSTOMER_ID), Channel.fromId(r.get(CHANNEL)).orElseThrow(),
                        r.get(TARGET), r.get(SINCE)));
    }

    /** The customer's relations and remembered ends. */
    void deleteAll(long customerId) {
        db.deleteFrom(RELATION).where(CUSTOMER_ID.eq(customerId)).execute();
        db.deleteFrom(ENDED).where(CUSTOMER_ID.eq(customerId)).execute();
    }
}
