package io.siyu.layer.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.layer.internal.LayerAssignment.Move;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * Where customers are ({@code customer_layer}) and how they got there ({@code layer_transition}).
 * Moves are written in chunks, each chunk's assignment rows, transition rows and {@code Layer
 * Changed} events in the caller's transaction.
 */
@Repository
class AssignmentStore {

    static final Table<Record> CUSTOMER_LAYER = table(name("customer_layer"));
    static final Field<Long> POLICY_ID = field(name("policy_id"), Long.class);
    static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
    static final Field<Long> LAYER_ID = field(name("layer_id"), Long.class);
    static final Field<OffsetDateTime> SINCE = field(name("since"), OffsetDateTime.class);

    static final Table<Record> TRANSITION = table(name("layer_transition"));
    static final Field<Long> T_ID = field(name("id"), Long.class);
    static final Field<Long> FROM = field(name("from_layer"), Long.class);
    static final Field<Long> TO = field(name("to_layer"), Long.class);
    static final Field<OffsetDateTime> CHANGED_AT = field(name("changed_at"), OffsetDateTime.class);
    static final Field<String> REASON = field(name("reason"), String.class);

    static final String EVENT = "Layer Changed";
    private static final int IN_LIST = 1000;

    private final DSLContext db;
    private final EventLog log;
    private final ObjectMapper json;

    AssignmentStore(DSLContext db, EventLog log, ObjectMapper json) {
        this.db = db;
        this.log = log;
        this.json = json;
    }

    /** The current layer of the customers in scope (everyone placed when {@code scope} is null), by layer. */
    Map<Long, RoaringBitmap> current(long policyId, RoaringBitmap scope) {
        Map<Long, RoaringBitmap> out = new HashMap<>();
        if (scope == null) {
            try (var cursor = db.select(CUSTOMER_ID, LAYER_ID).from(CUSTOMER_LAYER).where(POLICY_ID.eq(policyId))
                    .fetchSize(10_000).fetchLazy()) {
                cursor.forEach(r -> out.computeIfAbsent(r.value2(), k -> new RoaringBitmap())
                        .add(r.value1().intValue()));
            }
            return out;
        }
        for (List<Long> chunk : chunks(scope, IN_LIST)) {
            db.select(CUSTOMER_ID, LAYER_ID).from(CUSTOMER_LAYER).where(POLICY_ID.eq(policyId))
                    .and(CUSTOMER_ID.in(chunk))
                    .forEach(r -> out.computeIfAbsent(r.value2(), k -> new RoaringBitmap()).add(r.value1().intValue()));
        }
        return out;
    }

    /**
     * Applies one move for some of its customers: the assignment rows, one transition row each,
     * and (when the customer lands in a layer) a {@code Layer Changed} event.
     */
    void apply(long policyId, Move move, List<Long> customers, Map<Long, String> keys, String reason,
            OffsetDateTime at) {
        if (move.to() == null) {
            db.deleteFrom(CUSTOMER_LAYER).where(POLICY_ID.eq(policyId)).and(CUSTOMER_ID.in(customers)).execute();
        } else if (move.from() == null) {
            var insert = db.batch(db.insertInto(CUSTOMER_LAYER, POLICY_ID, CUSTOMER_ID, LAYER_ID, SINCE)
                    .values((Long) null, null, null, null));
            for (Long c : customers) {
                insert = insert.bind(policyId, c, move.to(), at);
            }
            insert.execute();
        } else {
            db.update(CUSTOMER_LAYER).set(LAYER_ID, move.to()).set(SINCE, at).where(POLICY_ID.eq(policyId))
                    .and(CUSTOMER_ID.in(customers)).and(LAYER_ID.eq(move.from())).execute();
        }
        var transitions = db.batch(db.insertInto(TRANSITION, POLICY_ID, CUSTOMER_ID, FROM, TO, CHANGED_AT, REASON)
                .values((Long) null, null, null, null, null, null));
        for (Long c : customers) {
            transitions = transitions.bind(policyId, c, move.from(), move.to(), at, reason);
        }
        transitions.execute();
        if (move.to() != null) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("policyId", String.valueOf(policyId));
            properties.put("fromLayerId", move.from() == null ? null : String.valueOf(move.from()));
            properties.put("toLayerId", String.valueOf(move.to()));
            properties.put("fromKey", move.from() == null ? null : keys.get(move.from()));
            properties.put("toKey", keys.get(move.to()));
            properties.put("reason", reason);
            String text = json.writeValueAsString(properties);
            List<NewEvent> events = new ArrayList<>(customers.size());
            for (Long c : customers) {
                events.add(NewEvent.system(c, EVENT, at, text));
            }
            log.append(events);
        }
    }

    /** Takes everyone out of a policy (deactivated), recording each as leaving. */
    int clear(long policyId, OffsetDateTime at, String reason) {
        db.insertInto(TRANSITION, POLICY_ID, CUSTOMER_ID, FROM, TO, CHANGED_AT, REASON)
                .select(db.select(POLICY_ID, CUSTOMER_ID, LAYER_ID, val((Long) null, Long.class), val(at), val(reason))
                        .from(CUSTOMER_LAYER).where(POLICY_ID.eq(policyId)))
                .execute();
        return db.deleteFrom(CUSTOMER_LAYER).where(POLICY_ID.eq(policyId)).execute();
    }

    static List<List<Long>> chunks(RoaringBitmap ids, int size) {
        List<List<Long>> out = new ArrayList<>();
        List<Long> chunk = new ArrayList<>(Math.min(size, ids.getCardinality()));
        for (int id : ids) {
            chunk.add(Integer.toUnsignedLong(id));
            if (chunk.size() == size) {
                out.add(chunk);
                chunk = new ArrayList<>(size);
            }
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }
}
