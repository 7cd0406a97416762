package io.siyu.segment.internal;

import static io.siyu.segment.internal.SegTables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectDistinct;
import static org.jooq.impl.DSL.table;

import io.siyu.platform.ArrayStatement;
import io.siyu.segment.Rule.ValueType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads customers' facts from the database into {@link Facts}: all of them, or a set being refreshed. */
@Component
class FactLoader {

    private static final int CHUNK = 1000;
    private static final int FETCH = 5000;

    private final DSLContext db;
    private final TransactionTemplate readOnly;

    private final java.time.ZoneId zone;

    FactLoader(DSLContext db, TransactionTemplate tx, io.siyu.platform.BrandClock clock) {
        this.db = db;
        this.zone = clock.zone();
        this.readOnly = new TransactionTemplate(tx.getTransactionManager());
        this.readOnly.setReadOnly(true);
    }

    /** Every customer's facts, freshly read. */
    Facts loadAll() {
        return loadAll(java.util.Set.of());
    }

    /** Every customer's facts, freshly read, with the given filtered event series. */
    Facts loadAll(java.util.Set<EventSeries> series) {
        long maxId = db.select(max(ID)).from(CUSTOMER).fetchOptional(0, Long.class).orElse(0L);
        Facts facts = new Facts((int) Math.min(maxId + 1024, Integer.MAX_VALUE - 8));
        // the run before the rows: a run committing during the load is then read again by refreshRfm
        long rfmRun = latestRfmRun();
        readOnly.executeWithoutResult(s -> load(facts, null));
        for (EventSeries one : series) {
            facts.series.put(one, loadSeries(facts, one));
        }
        readOnly.executeWithoutResult(s -> loadStaticSegments(facts));
        facts.rfmRun = rfmRun;
        return facts;
    }

    /** Reads the facts of {@code ids} again into {@code facts}; the caller holds the write lock. */
    void refresh(Facts facts, RoaringBitmap ids) {
        if (ids.isEmpty()) {
            return;
        }
        ids.forEach((int id) -> facts.ensure(id));
        facts.clear(ids);
        inChunks(ids, chunk -> readOnly.executeWithoutResult(s -> {
            load(facts, chunk);
            facts.series.forEach((one, column) -> loadSeries(facts, one, column, chunk));
        }));
    }

    /** Reads the orders of {@code ids} again; the caller holds the write lock. */
    void refreshOrders(Facts facts, RoaringBitmap ids) {
        inChunks(ids, chunk -> {
            chunk.forEach(id -> facts.orders[id.intValue()] = null);
            readOnly.executeWithoutResult(s -> loadOrders(facts, chunk));
        });
    }

    /** Reads the filtered event series of {@code ids} again; the caller holds the write lock. */
    void refreshSeries(Facts facts, RoaringBitmap ids) {
        inChunks(ids, chunk -> facts.series.forEach((one, column) -> {
            chunk.forEach(id -> column[id.intValue()] = null);
            readOnly.executeWithoutResult(s -> loadSeries(facts, one, column, chunk));
        }));
    }

    private static void inChunks(RoaringBitmap ids, Consumer<List<Long>> each) {
        List<Long> all = new ArrayList<>(ids.getCardinality());
        ids.forEach((int id) -> all.add((long) id));
        for (int i = 0; i < all.size(); i += CHUNK) {
            each.accept(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
    }

    /**
     * A filtered event series for every active customer, as a new column (the caller installs it):
     * the stored events of the series' name, their properties matched in Java, counted per day in
     * the brand's zone.
     */
    long[][] loadSeries(Facts facts, EventSeries series) {
        long[][] column = new long[facts.capacity][];
        readOnly.executeWithoutResult(s -> loadSeries(facts, series, column, null));
        return column;
    }

    private void loadSeries(Facts facts, EventSeries series, long[][] column, List<Long> ids) {
        Condition where = eventsNamed(series.name()).and(ids == null ? noCondition() : E_CUSTOMER.in(ids));
        int[] current = {-1};
        java.util.TreeMap<Long, Long> days = new java.util.TreeMap<>();
        Runnable flush = () -> {
            if (current[0] >= 0 && !days.isEmpty()) {
                long[] packed = new long[days.size()];
                int i = 0;
                for (var d : days.entrySet()) {
                    packed[i++] = (d.getKey() << 32) | (d.getValue() & 0xffffffffL);
                }
                column[current[0]] = packed;
            }
            days.clear();
        };
        stream(select(E_CUSTOMER, E_AT, E_PROPERTIES).from(EVENTS).where(where).orderBy(E_CUSTOMER), r -> {
            int id = r.get(E_CUSTOMER).intValue();
            if (id != current[0]) {
                flush.run();
                current[0] = id;
            }
            if (id < column.length && facts.active.contains(id)
                    && JsonProperties.matches(JsonProperties.parse(r.get(E_PROPERTIES)), series.where())) {
                days.merge(r.get(E_AT).atZoneSameInstant(zone).toLocalDate().toEpochDay(), 1L, Long::sum);
            }
        });
        flush.run();
    }

    /** Reads the RFM columns again (after a new RFM run). */
    /**
     * Brings the RFM facts up to the latest run, reading only what changed since the run they hold:
     * the rows later runs wrote (their {@code run_id} is newer; an RFM run rewrites only changed rows),
     * and, when the table then holds a different number of rows than the facts have scores, every
     * stored id, to drop the customers no longer scored. Returns the customers whose RFM facts changed.
     * The caller holds the write lock.
     */
    RoaringBitmap refreshRfm(Facts facts) {
        RoaringBitmap changed = new RoaringBitmap();
        long latest = latestRfmRun();
        if (latest == facts.rfmRun) {
            return changed;
        }
        Field<Long> runId = field(name("run_id"), Long.class);
        readOnly.executeWithoutResult(s -> {
            stream(select(CUSTOMER_ID, RFM_SEGMENT, VALUE_CLASS, R_SCORE, F_SCORE, M_SCORE).from(RFM)
                    .where(runId.gt(facts.rfmRun)), r -> {
                        int id = r.get(CUSTOMER_ID).intValue();
                        if (id < facts.capacity && facts.active.contains(id)) {
                            setRfm(facts, id, r);
                            changed.add(id);
                        }
                    });
            RoaringBitmap scored = new RoaringBitmap();
            facts.active.forEach((int id) -> {
                if (facts.rfmSegment[id] != null) {
                    scored.add(id);
                }
            });
            int stored = db.fetchCount(RFM);
            if (stored != scored.getCardinality()) {
                RoaringBitmap present = new RoaringBitmap();
                stream(select(CUSTOMER_ID).from(RFM), r -> present.add(r.get(CUSTOMER_ID).intValue()));
                RoaringBitmap gone = RoaringBitmap.andNot(scored, present);
                gone.forEach((int id) -> facts.clearRfm(id));
                changed.or(gone);
            }
        });
        facts.rfmRun = latest;
        return changed;
    }

    long latestRfmRun() {
        return db.select(max(ID)).from(table(name("rfm_run"))).fetchOptional(0, Long.class).orElse(0L);
    }

    /** The stored members of a static segment. */
    RoaringBitmap staticMembers(long segmentId) {
        RoaringBitmap b = new RoaringBitmap();
        stream(select(CUSTOMER_ID).from(MEMBER).where(M_SEGMENT.eq(segmentId)), r -> b.add(r.get(CUSTOMER_ID).intValue()));
        return b;
    }

    private void loadStaticSegments(Facts facts) {
        Field<Long> segId = field(name("m", "segment_id"), Long.class);
        Field<Long> custId = field(name("m", "customer_id"), Long.class);
        stream(select(segId, custId).from(MEMBER.as("m")).join(SEGMENT.as("s")).on(field(name("s", "id"), Long.class).eq(segId))
                .where(field(name("s", "kind"), String.class).eq("static")),
                r -> facts.staticSegments.computeIfAbsent(r.get(segId), k -> new RoaringBitmap())
                        .add(r.get(custId).intValue()));
    }

    private void load(Facts facts, List<Long> ids) {
        Condition byId = ids == null ? noCondition() : ID.in(ids);
        Condition byCustomer = ids == null ? noCondition() : CUSTOMER_ID.in(ids);
        Field<String> displayName = field(name("display_name"), String.class);
        Field<String> nickname = field(name("nickname"), String.class);
        Field<String> gender = field(name("gender"), String.class);
        Field<String> province = field(name("province"), String.class);
        Field<String> city = field(name("city"), String.class);
        Field<String> source = field(name("source"), String.class);
        stream(select(ID, STATUS, displayName, nickname, gender, province, city, source, BIRTHDAY, CREATED_AT)
                .from(CUSTOMER).where(byId), r -> {
            int id = r.get(ID).intValue();
            facts.ensure(id);
            if (!"active".equals(r.get(STATUS))) {
                return;
            }
            facts.active.add(id);
            facts.strings.get("display_name").set(id, r.get(displayName));
            facts.strings.get("nickname").set(id, r.get(nickname));
            facts.strings.get("gender").set(id, r.get(gender));
            facts.strings.get("province").set(id, r.get(province));
            facts.strings.get("city").set(id, r.get(city));
            facts.strings.get("source").set(id, r.get(source));
            LocalDate b = r.get(BIRTHDAY);
            facts.birthday[id] = b == null ? Facts.NO_DAY : (int) b.toEpochDay();
            facts.times.get("created_at")[id] = seconds(r.get(CREATED_AT));
        });

        Field<String> type = field(name("d", "data_type"), String.class);
        Field<String> attrName = field(name("a", "name"), String.class);
        Field<Long> attrCustomer = field(name("a", "customer_id"), Long.class);
        Field<String> str = field(name("a", "str_val"), String.class);
        Field<BigDecimal> num = field(name("a", "num_val"), BigDecimal.class);
        Field<Boolean> bool = field(name("a", "bool_val"), Boolean.class);
        Field<LocalDate> date = field(name("a", "date_val"), LocalDate.class);
        Condition attrBy = ids == null ? noCondition() : attrCustomer.in(ids);
        stream(select(attrCustomer, attrName, type, str, num, bool, date).from(ATTR.as("a")).join(ATTR_DEF.as("d"))
                .on(field(name("d", "name"), String.class).eq(attrName)).where(attrBy), r -> {
            int id = r.get(attrCustomer).intValue();
            if (!facts.active.contains(id)) {
                return;
            }
            ValueType t = ValueType.valueOf(r.get(type).toUpperCase(Locale.ROOT));
            Facts.Column c = facts.column(r.get(attrName), t);
            switch (t) {
                case STRING -> {
                    if (r.get(str) != null) {
                        c.text.set(id, r.get(str));
                        c.present.add(id);
                    }
                }
                case NUMBER -> {
                    if (r.get(num) != null) {
                        c.number[id] = r.get(num).doubleValue();
                        c.present.add(id);
                    }
                }
                case BOOLEAN -> {
                    if (r.get(bool) != null) {
                        c.bool[id] = (byte) (r.get(bool) ? 2 : 1);
                        c.present.add(id);
                    }
                }
                default -> {
                    if (r.get(date) != null) {
                        c.day[id] = (int) r.get(date).toEpochDay();
                        c.present.add(id);
                    }
                }
            }
        });

        stream(select(CUSTOMER_ID, FIRST_SEEN, LAST_SEEN, LAST_INTERACTION).from(AGG).where(byCustomer), r -> {
            int id = r.get(CUSTOMER_ID).intValue();
            if (facts.active.contains(id)) {
                facts.times.get("first_seen")[id] = seconds(r.get(FIRST_SEEN));
                facts.times.get("last_seen")[id] = seconds(r.get(LAST_SEEN));
                facts.times.get("last_interaction")[id] = seconds(r.get(LAST_INTERACTION));
            }
        });

        stream(select(CUSTOMER_ID, TAG_ID).from(TAGS).where(byCustomer), r -> {
            int id = r.get(CUSTOMER_ID).intValue();
            if (facts.active.contains(id)) {
                facts.tags.computeIfAbsent(r.get(TAG_ID), k -> new RoaringBitmap()).add(id);
            }
        });

        loadEvents(facts, byCustomer);
        loadOrders(facts, ids);
        loadRfm(facts, byCustomer);

        stream(select(CUSTOMER_ID, R_CHANNEL, R_TARGET).from(RELATION).where(byCustomer), r -> {
            int id = r.get(CUSTOMER_ID).intValue();
            if (facts.active.contains(id)) {
                facts.addReach(id, r.get(R_CHANNEL), r.get(R_TARGET));
            }
        });
        stream(selectDistinct(CUSTOMER_ID, ID_TYPE).from(IDENTITY).where(byCustomer), r -> {
            int id = r.get(CUSTOMER_ID).intValue();
            if (facts.active.contains(id)) {
                facts.identities.computeIfAbsent(r.get(ID_TYPE), k -> new RoaringBitmap()).add(id);
            }
        });
        if (layersExist()) {
            stream(select(CUSTOMER_ID, LAYER_ID).from(CUSTOMER_LAYER).where(byCustomer), r -> {
                int id = r.get(CUSTOMER_ID).intValue();
                if (facts.active.contains(id)) {
                    facts.layers.computeIfAbsent(r.get(LAYER_ID), k -> new RoaringBitmap()).add(id);
                }
            });
        }
    }

    private Boolean layersExist;

    private boolean layersExist() {
        if (layersExist == null || !layersExist) {
            layersExist = db.fetchExists(select(inline(1)).from(table(name("information_schema", "tables")))
                    .where(lower(field(name("table_name"), String.class)).eq("customer_layer")));
        }
        return layersExist;
    }

    private void loadEvents(Facts facts, Condition byCustomer) {
        int[] current = {-1};
        String[] currentName = {null};
        List<Long> packed = new ArrayList<>();
        Runnable flush = () -> {
            if (current[0] >= 0 && !packed.isEmpty()) {
                long[] a = new long[packed.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = packed.get(i);
                }
                facts.eventColumn(currentName[0])[current[0]] = a;
            }
            packed.clear();
        };
        stream(select(CUSTOMER_ID, EVENT_NAME, BUCKET_DAY, CNT).from(DAILY).where(byCustomer)
                .orderBy(CUSTOMER_ID, EVENT_NAME, BUCKET_DAY), r -> {
            int id = r.get(CUSTOMER_ID).intValue();
            String n = r.get(EVENT_NAME);
            if (id != current[0] || !n.equals(currentName[0])) {
                flush.run();
                current[0] = id;
                currentName[0] = n;
            }
            if (facts.active.contains(id)) {
                packed.add(((long) r.get(BUCKET_DAY).toEpochDay() << 32) | (r.get(CNT) & 0xffffffffL));
            }
        });
        flush.run();
    }

    /**
     * The orders and lines of {@code ids}, or of everyone (null). Everyone's come from one join read in
     * order. A few customers' come from index lookups: a join, or a long list of order ids, lets the
     * planner scan every line to find a few customers' (on PostgreSQL it did both, once the lines table
     * had outgrown the estimates, and then every refresh during ingest read the whole table). On
     * PostgreSQL one statement looks up each customer's orders and each order's lines, fenced so that
     * no plan trades the lookups for scans; elsewhere their orders and then those orders' lines.
     */
    private void loadOrders(Facts facts, List<Long> ids) {
        Field<Integer> lineNo = field(name("l", "line_no"), Integer.class);
        OrderBuilder builder = new OrderBuilder(facts);
        // rows of an order joined with its lines, in customer, order and line order
        Consumer<Record> joined = r -> builder.order(r.get(O_CUSTOMER), r.get(O_ID), r.get(O_STATUS), r.get(O_TOTAL),
                r.get(O_REFUNDED), r.get(O_AT)).line(r.get(L_PRODUCT), r.get(L_SKU), r.get(L_CATEGORY));
        if (ids == null) {
            stream(select(O_CUSTOMER, O_ID, O_STATUS, O_TOTAL, O_REFUNDED, O_AT, L_PRODUCT, L_SKU, L_CATEGORY, lineNo)
                    .from(ORDERS).leftJoin(LINES).on(L_ORDER.eq(O_ID)).orderBy(O_CUSTOMER, O_ID, lineNo), joined);
            builder.flush();
            return;
        }
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            ArrayStatement.ids(ids).fetch(db, ORDERS_BY_CUSTOMERS, O_CUSTOMER, O_ID, O_STATUS, O_TOTAL, O_REFUNDED, O_AT,
                    L_PRODUCT, L_SKU, L_CATEGORY).forEach(joined);
            builder.flush();
            return;
        }
        List<Record> orders = new ArrayList<>();
        stream(select(O_CUSTOMER, O_ID, O_STATUS, O_TOTAL, O_REFUNDED, O_AT).from(ORDERS).where(O_CUSTOMER.in(ids))
                .orderBy(O_CUSTOMER, O_ID), orders::add);
        java.util.Map<String, List<Record>> lines = new java.util.HashMap<>();
        for (int i = 0; i < orders.size(); i += CHUNK) {
            List<String> orderIds = orders.subList(i, Math.min(orders.size(), i + CHUNK)).stream().map(r -> r.get(O_ID))
                    .toList();
            stream(select(L_ORDER, L_PRODUCT, L_SKU, L_CATEGORY).from(LINES).where(L_ORDER.in(orderIds))
                    .orderBy(L_ORDER, lineNo), r -> lines.computeIfAbsent(r.get(L_ORDER), k -> new ArrayList<>()).add(r));
        }
        for (Record o : orders) {
            OrderBuilder order = builder.order(o.get(O_CUSTOMER), o.get(O_ID), o.get(O_STATUS), o.get(O_TOTAL),
                    o.get(O_REFUNDED), o.get(O_AT));
            for (Record l : lines.getOrDefault(o.get(O_ID), List.of())) {
                order.line(l.get(L_PRODUCT), l.get(L_SKU), l.get(L_CATEGORY));
            }
        }
        builder.flush();
    }

    /** PostgreSQL: the orders and lines of the customers in the array, in customer, order and line order. */
    private static final String ORDERS_BY_CUSTOMERS = """
            select o.customer_id, o.order_id, o.status, o.total, o.refunded_amount, o.ordered_at, l.product_id, l.sku,
                l.category
            from unnest(?::bigint[]) as u(c)
            cross join lateral (select customer_id, order_id, status, total, refunded_amount, ordered_at
                from customer_order where customer_id = u.c offset 0) o
            left join lateral (select product_id, sku, category, line_no
                from order_line where order_id = o.order_id offset 0) l on true
            order by o.customer_id, o.order_id, l.line_no
            """;

    /** Groups one customer's orders and lines, given in customer and order order, into {@link Facts.CustomerOrders}. */
    private static final class OrderBuilder {
        private final Facts facts;
        private long customer = -1;
        private boolean counting;
        private String order;
        private final List<long[]> orders = new ArrayList<>();   // at, net, counted
        private final List<int[]> lines = new ArrayList<>();     // order index, product, sku, category

        OrderBuilder(Facts facts) {
            this.facts = facts;
        }

        /** An order (again for each of its lines, as a join returns it); its lines follow. */
        OrderBuilder order(long customerId, String orderId, String status, BigDecimal total, BigDecimal refunded,
                OffsetDateTime at) {
            if (customerId != customer) {
                flush();
                customer = customerId;
                order = null;
                counting = facts.active.contains((int) customerId);
            }
            if (counting && !orderId.equals(order)) {
                order = orderId;
                long net = total.subtract(refunded).movePointRight(2).longValueExact();
                orders.add(new long[] {seconds(at), net, "refunded".equals(status) ? 0 : 1});
            }
            return this;
        }

        /** A line of the last order (a join's null line of an order without lines is left out). */
        void line(String product, String sku, String category) {
            if (counting && (product != null || sku != null || category != null)) {
                lines.add(new int[] {orders.size() - 1, code(product), code(sku), code(category)});
            }
        }

        private int code(String text) {
            return text == null ? 0 : facts.code(text);
        }

        void flush() {
            if (customer >= 0 && !orders.isEmpty()) {
                int n = orders.size();
                long[] at = new long[n];
                long[] net = new long[n];
                boolean[] counted = new boolean[n];
                for (int i = 0; i < n; i++) {
                    at[i] = orders.get(i)[0];
                    net[i] = orders.get(i)[1];
                    counted[i] = orders.get(i)[2] == 1;
                }
                int m = lines.size();
                int[] lo = new int[m];
                int[] p = new int[m];
                int[] s = new int[m];
                int[] c = new int[m];
                for (int i = 0; i < m; i++) {
                    lo[i] = lines.get(i)[0];
                    p[i] = lines.get(i)[1];
                    s[i] = lines.get(i)[2];
                    c[i] = lines.get(i)[3];
                }
                facts.orders[(int) customer] = Facts.CustomerOrders.of(at, net, counted, lo, p, s, c);
            }
            orders.clear();
            lines.clear();
        }
    }

    private void loadRfm(Facts facts, Condition byCustomer) {
        stream(select(CUSTOMER_ID, RFM_SEGMENT, VALUE_CLASS, R_SCORE, F_SCORE, M_SCORE).from(RFM).where(byCustomer), r -> {
            int id = r.get(CUSTOMER_ID).intValue();
            if (id < facts.capacity && facts.active.contains(id)) {
                setRfm(facts, id, r);
            }
        });
    }

    private static void setRfm(Facts facts, int id, Record r) {
        facts.rfmSegment[id] = r.get(RFM_SEGMENT);
        facts.rfmClass[id] = r.get(VALUE_CLASS);
        facts.rScore[id] = r.get(R_SCORE).byteValue();
        facts.fScore[id] = r.get(F_SCORE).byteValue();
        facts.mScore[id] = r.get(M_SCORE).byteValue();
    }

    private void stream(ResultQuery<? extends Record> query, Consumer<Record> each) {
        query.attach(db.configuration());
        try (Cursor<? extends Record> cursor = query.fetchSize(FETCH).fetchLazy()) {
            for (Record r : cursor) {
                each.accept(r);
            }
        }
    }

    static long seconds(OffsetDateTime t) {
        return t == null ? Facts.NO_TIME : t.toEpochSecond();
    }
}
