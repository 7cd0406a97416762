package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.AG;
import static io.siyu.event.internal.EventTables.D;
import static io.siyu.event.internal.EventTables.DC;
import static io.siyu.event.internal.EventTables.E;
import static io.siyu.event.internal.EventTables.O;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

import io.siyu.event.DailyCountKeys;
import io.siyu.event.LoggedEvent;
import io.siyu.platform.ArrayStatement;
import io.siyu.platform.BrandClock;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.conf.SettingsTools;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/**
 * Per-customer aggregates: first/last seen, last interaction, events per name per day (so "N times
 * in the last 7/30/90 days" is a small sum), and order figures read from the orders table. Kept
 * current batch by batch, and recomputable from the log with set-based SQL; both paths must agree.
 */
@Component
class Aggregates {

    // qualified for H2, where the upsert is a MERGE joining the table with the new rows
    private static final Field<Long> DAILY_CUSTOMER = DSL.field(DSL.name("customer_daily_count", "customer_id"), Long.class);
    private static final Field<String> DAILY_NAME = DSL.field(DSL.name("customer_daily_count", "event_name"), String.class);
    private static final Field<LocalDate> DAILY_DAY = DSL.field(DSL.name("customer_daily_count", "bucket_day"), LocalDate.class);
    private static final Field<Integer> DAILY_CNT = DSL.field(DSL.name("customer_daily_count", "cnt"), Integer.class);


    private final DSLContext db;
    private final DSLContext staticDb;
    private final ZoneId zone;
    /** PostgreSQL: array statements, and the daily counts folded per customer-day. */
    private final boolean pg;

    Aggregates(DSLContext db, BrandClock clock) {
        this.db = db;
        this.pg = db.dialect().family() == SQLDialect.POSTGRES;
        // group-by expressions must be textually identical on PostgreSQL: render values inline here
        this.staticDb = DSL.using(db.configuration().derive(
                SettingsTools.clone(db.settings()).withStatementType(StatementType.STATIC_STATEMENT)));
        this.zone = clock.zone();
    }

    LocalDate day(OffsetDateTime at) {
        return at.atZoneSameInstant(zone).toLocalDate();
    }

    /**
     * Applies one batch of events incrementally: the batch's customers' aggregates and daily counts
     * are read with two queries and written with one batched statement per kind. Only one writer runs
     * at a time (the consumer's position lock, also held by the merge recount), so reading first and
     * then inserting or updating cannot race.
     */
    void apply(List<LoggedEvent> batch) {
        java.util.SortedMap<Long, Delta> deltas = new TreeMap<>();
        for (LoggedEvent e : batch) {
            deltas.computeIfAbsent(e.customerId(), Delta::new).add(e, day(e.occurredAt()));
        }
        if (deltas.isEmpty()) {
            return;
        }
        if (pg) {
            upsertAsArrays(deltas.values());
            applyDaily(deltas);
            Set<Long> orderCustomers = new TreeSet<>();
            deltas.values().stream().filter(d -> d.orders).forEach(d -> orderCustomers.add(d.customerId));
            refreshOrdersFromArray(orderCustomers);
            return;
        }
        Map<Long, Record> current = new HashMap<>();
        db.select(AG.CUSTOMER_ID, AG.FIRST_SEEN, AG.LAST_SEEN, AG.LAST_INTERACTION).from(AG.T)
                .where(AG.CUSTOMER_ID.in(deltas.keySet())).fetch().forEach(r -> current.put(r.get(AG.CUSTOMER_ID), r));
        var inserts = db.batch(db.insertInto(AG.T, AG.CUSTOMER_ID, AG.FIRST_SEEN, AG.LAST_SEEN, AG.LAST_INTERACTION,
                AG.EVENTS, AG.ORDERS, AG.SPENT).values((Long) null, null, null, null, null, null, null));
        var updates = db.batch(db.update(AG.T).set(AG.FIRST_SEEN, (OffsetDateTime) null)
                .set(AG.LAST_SEEN, (OffsetDateTime) null).set(AG.LAST_INTERACTION, (OffsetDateTime) null)
                .set(AG.EVENTS, AG.EVENTS.plus((Long) null)).where(AG.CUSTOMER_ID.eq((Long) null)));
        int inserted = 0;
        int updated = 0;
        Set<Long> orderCustomers = new TreeSet<>();
        for (Delta d : deltas.values()) {
            Record c = current.get(d.customerId);
            if (c == null) {
                inserts = inserts.bind(d.customerId, d.first, d.last, d.lastInteraction, d.events, 0, BigDecimal.ZERO);
                inserted++;
            } else {
                updates = updates.bind(earliest(c.get(AG.FIRST_SEEN), d.first), latest(c.get(AG.LAST_SEEN), d.last),
                        latest(c.get(AG.LAST_INTERACTION), d.lastInteraction), d.events, d.customerId);
                updated++;
            }
            if (d.orders) {
                orderCustomers.add(d.customerId);
            }
        }
        if (inserted > 0) {
            inserts.execute();
        }
        if (updated > 0) {
            updates.execute();
        }
        applyDaily(deltas);
        if (!orderCustomers.isEmpty()) {
            refreshOrders(DSL.trueCondition().and(AG.CUSTOMER_ID.in(orderCustomers)));
        }
    }

    /**
     * Adds the batch's daily counts, in key order, with nothing read first, so the cost does not
     * depend on the planner estimating a read of existing keys well. PostgreSQL keeps one row per
     * customer and day ({@code customer_day_count}, the keys and counts as parallel arrays): one
     * {@code INSERT ... ON CONFLICT DO UPDATE} takes the batch's counts as column arrays, folds them
     * per customer-day and merges each folded row into the stored one. H2 keeps one row per customer,
     * key and day: one {@code MERGE} per row in a JDBC batch, as H2 would join a multi-row source
     * without the key.
     */
    private void applyDaily(java.util.SortedMap<Long, Delta> deltas) {
        List<Object[]> rows = new java.util.ArrayList<>();
        for (Delta d : deltas.values()) {
            for (Map.Entry<DailyKey, Integer> e : new TreeMap<>(d.daily).entrySet()) {
                rows.add(new Object[] {d.customerId, e.getKey().name(), e.getKey().day(), e.getValue()});
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        if (pg) {
            ArrayStatement daily = ArrayStatement.rows("bigint", "varchar", "varchar", "integer");
            rows.forEach(daily::add);
            daily.execute(db, DAY_ROWS);
            return;
        }
        var batch = db.batch(db.insertInto(D.T, DAILY_CUSTOMER, DAILY_NAME, DAILY_DAY, DAILY_CNT)
                .values((Long) null, null, null, null).onConflict(DAILY_CUSTOMER, DAILY_NAME, DAILY_DAY).doUpdate()
                .set(DAILY_CNT, DAILY_CNT.plus(DSL.excluded(DAILY_CNT))));
        for (Object[] row : rows) {
            batch = batch.bind(row);
        }
        batch.execute();
    }

    /**
     * Removes a customer's aggregates and daily counts (the merged side of a merge, before the
     * survivor is recounted).
     */
    void forget(long customerId) {
        db.deleteFrom(AG.T).where(AG.CUSTOMER_ID.eq(customerId)).execute();
        if (pg) {
            db.deleteFrom(DC.T).where(DC.CUSTOMER_ID.eq(customerId)).execute();
        } else {
            db.deleteFrom(D.T).where(D.CUSTOMER_ID.eq(customerId)).execute();
        }
    }

    /**
     * PostgreSQL: the batch's first/last seen, last interaction and event counts, added to the stored
     * ones in one {@code INSERT ... ON CONFLICT DO UPDATE} over column arrays, in customer order
     * ({@code least}/{@code greatest} pass over nulls, as the Java path does).
     */
    private void upsertAsArrays(Collection<Delta> deltas) {
        ArrayStatement rows = ArrayStatement.rows("bigint", "varchar", "varchar", "varchar", "bigint");
        for (Delta d : deltas) {
            rows.add(d.customerId, d.first, d.last, d.lastInteraction, d.events);
        }
        rows.execute(db, AGGREGATE_ARRAYS);
    }

    private static final String AGGREGATE_ARRAYS = """
            insert into customer_aggregate (customer_id, first_seen, last_seen, last_interaction, events_count,
                orders_count, total_spent)
            select c, f::timestamptz, l::timestamptz, li::timestamptz, n, 0, 0
            from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[]) with ordinality as u(c, f, l, li, n, i)
            order by i
            on conflict (customer_id) do update set
                first_seen = least(customer_aggregate.first_seen, excluded.first_seen),
                last_seen = greatest(customer_aggregate.last_seen, excluded.last_seen),
                last_interaction = greatest(customer_aggregate.last_interaction, excluded.last_interaction),
                events_count = customer_aggregate.events_count + excluded.events_count
            """;

    /**
     * PostgreSQL: the order figures of the given customers from one grouped read of their orders (the
     * covering customer index answers it), instead of four correlated reads per customer.
     */
    private void refreshOrdersFromArray(Set<Long> customers) {
        if (customers.isEmpty()) {
            return;
        }
        ArrayStatement rows = ArrayStatement.rows("bigint");
        customers.forEach(rows::add);
        rows.execute(db, ORDERS_FROM_ARRAY);
    }

    private static final String ORDERS_FROM_ARRAY = """
            update customer_aggregate a set orders_count = s.counted, total_spent = s.spent,
                first_order_at = s.first_at, last_order_at = s.last_at
            from (select w.id,
                    count(o.customer_id) filter (where o.status <> 'refunded') as counted,
                    coalesce(sum(o.total - o.refunded_amount), 0) as spent,
                    min(o.ordered_at) as first_at, max(o.ordered_at) as last_at
                  from unnest(?::bigint[]) as w(id)
                  left join customer_order o on o.customer_id = w.id
                  group by w.id) s
            where a.customer_id = s.id
            """;

    /**
     * The batch's (customer, key, day, count) rows, folded per customer-day into key and count arrays
     * (keys in byte order, whatever the database's collation); a stored row gets the sum of both per
     * key (the keys of both, concatenated, unnested and summed). Each customer-day occurs once in the
     * insert, as {@code ON CONFLICT} requires.
     */
    private static final String DAY_ROWS = """
            insert into customer_day_count (customer_id, bucket_day, event_names, counts)
            select c, d::date, array_agg(n order by n collate "C"), array_agg(k order by n collate "C")
            from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::integer[]) as u(c, n, d, k)
            group by c, d
            order by c, d
            on conflict (customer_id, bucket_day) do update set (event_names, counts) = (
                select array_agg(m.n order by m.n collate "C"), array_agg(m.k order by m.n collate "C")
                from (select x.n, sum(x.k)::integer as k
                      from unnest(customer_day_count.event_names || excluded.event_names,
                                  customer_day_count.counts || excluded.counts) as x(n, k)
                      group by x.n) m)
            """;

    /** Order figures from the orders table, for the aggregates rows matching {@code which}. */
    void refreshOrders(Condition which) {
        // qualified: both tables have a customer_id column, and names render unqualified by default
        var mine = DSL.field(DSL.name("customer_order", "customer_id"), Long.class)
                .eq(DSL.field(DSL.name("customer_aggregate", "customer_id"), Long.class));
        db.update(AG.T)
                .set(AG.ORDERS, select(count()).from(O.T).where(mine).and(O.STATUS.ne("refunded")).<Integer>asField())
                .set(AG.SPENT, select(coalesce(sum(O.TOTAL.minus(O.REFUNDED)), BigDecimal.ZERO)).from(O.T).where(mine)
                        .<BigDecimal>asField())
                .set(AG.FIRST_ORDER, select(min(O.ORDERED_AT)).from(O.T).where(mine).<OffsetDateTime>asField())
                .set(AG.LAST_ORDER, select(max(O.ORDERED_AT)).from(O.T).where(mine).<OffsetDateTime>asField())
                .where(which).execute();
    }

    /**
     * Recomputes aggregates from the log for events up to {@code upToOffset}: for every customer
     * ({@code customerIds} null) or only the given ones.
     */
    void rebuild(Collection<Long> customerIds, long upToOffset) {
        Condition aggregates = customerIds == null ? DSL.trueCondition() : AG.CUSTOMER_ID.in(customerIds);
        Condition daily = customerIds == null ? DSL.trueCondition()
                : pg ? DC.CUSTOMER_ID.in(customerIds) : D.CUSTOMER_ID.in(customerIds);
        Condition events = E.OFFSET.le(upToOffset)
                .and(customerIds == null ? DSL.trueCondition() : E.CUSTOMER_ID.in(customerIds));
        db.deleteFrom(AG.T).where(aggregates).execute();
        db.deleteFrom(pg ? DC.T : D.T).where(daily).execute();
        staticDb.insertInto(AG.T, AG.CUSTOMER_ID, AG.FIRST_SEEN, AG.LAST_SEEN, AG.LAST_INTERACTION, AG.EVENTS, AG.ORDERS,
                        AG.SPENT)
                .select(select(E.CUSTOMER_ID, min(E.OCCURRED_AT), max(E.OCCURRED_AT),
                        max(when(E.SYSTEM.isFalse(), E.OCCURRED_AT)), count().cast(Long.class), inline(0),
                        inline(BigDecimal.ZERO))
                        .from(E.T).where(events).groupBy(E.CUSTOMER_ID))
                .execute();
        Field<String> key = when(E.TYPE.in(inline("track"), inline("system")).and(E.NAME.isNotNull()), E.NAME)
                .otherwise(E.TYPE);
        // the brand's calendar day; H2 casts through the session time zone, so it formats in the zone instead
        Field<LocalDate> day = !pg
                ? DSL.field("cast(formatdatetime({0}, 'yyyy-MM-dd', 'en', {1}) as date)", LocalDate.class,
                        E.OCCURRED_AT, inline(zone.getId()))
                : DSL.field("cast({0} at time zone {1} as date)", LocalDate.class, E.OCCURRED_AT, inline(zone.getId()));
        Field<String> view = DSL.substring(DSL.concat(E.TYPE, inline(":"), E.NAME), inline(1), inline(200));
        var byKey = select(E.CUSTOMER_ID, key, day, count()).from(E.T).where(events).groupBy(E.CUSTOMER_ID, key, day);
        var byView = select(E.CUSTOMER_ID, view, day, count()).from(E.T).where(events)
                .and(E.TYPE.in(inline("page"), inline("screen"))).and(E.NAME.isNotNull()).and(E.NAME.ne(inline("")))
                .groupBy(E.CUSTOMER_ID, view, day);
        if (pg) {
            // both kinds of key folded per customer-day, from one sort of the counts by customer, day and
            // key: an aggregate's own ORDER BY would sort every group apart, and an unsorted aggregation
            // hashes millions of array states. Both arrays see the same rows in the same order.
            var counted = byKey.unionAll(byView).asTable("x", "c", "n", "d", "k");
            var sorted = select(counted.field("c"), counted.field("n"), counted.field("d"), counted.field("k"))
                    .from(counted).orderBy(counted.field("c"), counted.field("d"),
                            DSL.field("{0} collate \"C\"", String.class, counted.field("n")))
                    .asTable("y");
            Field<Long> c = sorted.field("c", Long.class);
            Field<LocalDate> d = sorted.field("d", LocalDate.class);
            staticDb.insertInto(DC.T, DC.CUSTOMER_ID, DC.DAY, DC.NAMES, DC.COUNTS)
                    .select(select(c, d, DSL.arrayAgg(sorted.field("n", String.class)),
                            DSL.arrayAgg(sorted.field("k", Integer.class))).from(sorted).groupBy(c, d))
                    .execute();
        } else {
            staticDb.insertInto(D.T, D.CUSTOMER_ID, D.NAME, D.DAY, D.CNT).select(byKey).execute();
            staticDb.insertInto(D.T, D.CUSTOMER_ID, D.NAME, D.DAY, D.CNT).select(byView).execute();
        }
        refreshOrders(aggregates);
    }

    private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** What one batch adds to one customer. */
    private static final class Delta {
        final long customerId;
        OffsetDateTime first;
        OffsetDateTime last;
        OffsetDateTime lastInteraction;
        long events;
        boolean orders;
        final Map<DailyKey, Integer> daily = new HashMap<>();

        Delta(long customerId) {
            this.customerId = customerId;
        }

        void add(LoggedEvent e, LocalDate day) {
            first = earliest(first, e.occurredAt());
            last = latest(last, e.occurredAt());
            if (!e.system()) {
                lastInteraction = latest(lastInteraction, e.occurredAt());
            }
            events++;
            orders |= e.name() != null && io.siyu.event.Orders.EVENTS.contains(e.name());
            daily.merge(new DailyKey(DailyCountKeys.of(e.type(), e.name()), day), 1, Integer::sum);
            String view = DailyCountKeys.view(e.type(), e.name());
            if (view != null) {
                daily.merge(new DailyKey(view, day), 1, Integer::sum);
            }
        }
    }

    private record DailyKey(String name, LocalDate day) implements Comparable<DailyKey> {
        @Override
        public int compareTo(DailyKey o) {
            int c = name.compareTo(o.name);
            return c != 0 ? c : day.compareTo(o.day);
        }
    }
}
