package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.L;
import static io.siyu.event.internal.EventTables.O;

import io.siyu.event.OrderFacts;
import io.siyu.event.OrderLine;
import io.siyu.event.Orders;
import io.siyu.platform.ArrayStatement;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep11;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** customer_order and order_line behind {@link Orders}. */
@Service
class OrderBook implements Orders {

    /** Qualified, or H2's MERGE (how jOOQ writes ON CONFLICT there) cannot tell it from its source's column. */
    private static final org.jooq.Field<String> QUALIFIED_ORDER_ID =
            org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("customer_order", "order_id"), String.class);

    private final DSLContext db;

    OrderBook(DSLContext db) {
        this.db = db;
    }

    /** An order as stored. */
    record OrderRow(String orderId, long customerId, String status, BigDecimal total, BigDecimal revenue,
            BigDecimal discount, String coupon, String currency, BigDecimal refunded, OffsetDateTime orderedAt) {
    }

    @Override
    @Transactional
    public Set<String> recordCompleted(List<Completion> completions) {
        // the first of one order id wins, as if they had come one by one
        Map<String, Completion> first = new LinkedHashMap<>();
        completions.forEach(c -> first.putIfAbsent(c.order().orderId(), c));
        if (first.isEmpty()) {
            return Set.of();
        }
        // insert unless present: a concurrent insert of the same order waits for the other to finish and then
        // does nothing (PostgreSQL), or surfaces as DuplicateKeyException for the caller to retry (H2); in
        // order id order, so that two transactions inserting the same orders cannot deadlock
        Set<String> inserted = new HashSet<>();
        java.util.Collection<Completion> ordered = new TreeMap<>(first).values();
        boolean postgres = db.dialect().family() == SQLDialect.POSTGRES;
        if (postgres) {
            inserted.addAll(insertAsArrays(ordered));
        } else {
            // H2 runs ON CONFLICT as MERGE, row by row in-process
            for (Completion c : ordered) {
                if (row(insertOrders(), c).onConflict(QUALIFIED_ORDER_ID).doNothing().execute() > 0) {
                    inserted.add(c.order().orderId());
                }
            }
        }
        // the lines of the orders inserted now
        List<Object[]> lines = new java.util.ArrayList<>();
        for (Completion c : first.values()) {
            OrderFacts o = c.order();
            if (inserted.contains(o.orderId())) {
                int n = 0;
                for (OrderLine line : o.lines()) {
                    lines.add(new Object[] {o.orderId(), ++n, line.productId(), line.sku(), line.category(), line.name(),
                            line.price(), line.quantity()});
                }
            }
        }
        if (lines.isEmpty()) {
            return inserted;
        }
        if (postgres) {
            ArrayStatement insert = ArrayStatement.rows("varchar", "integer", "varchar", "varchar", "varchar", "varchar",
                    "varchar", "integer");
            lines.forEach(insert::add);
            insert.execute(db, INSERT_LINES);
        } else {
            var batch = db.batch(db.insertInto(L.T, L.ORDER_ID, L.LINE_NO, L.PRODUCT_ID, L.SKU, L.CATEGORY, L.NAME,
                    L.PRICE, L.QUANTITY).values((String) null, null, null, null, null, null, null, null));
            for (Object[] line : lines) {
                batch = batch.bind(line);
            }
            batch.execute();
        }
        return inserted;
    }

    /**
     * PostgreSQL: the orders in one insert over column arrays ({@link ArrayStatement}), in the given
     * order; returns the ids of those inserted (an order stored before is left as it is).
     */
    private List<String> insertAsArrays(java.util.Collection<Completion> ordered) {
        ArrayStatement rows = ArrayStatement.rows("varchar", "bigint", "varchar", "varchar", "varchar", "varchar",
                "varchar", "varchar");
        for (Completion c : ordered) {
            OrderFacts o = c.order();
            rows.add(o.orderId(), c.customerId(), total(o), o.revenue(), o.discount(), o.coupon(), o.currency(),
                    o.orderedAt());
        }
        return rows.query(db, INSERT_ORDERS, rs -> rs.getString(1));
    }

    private static final String INSERT_ORDERS = """
            insert into customer_order (order_id, customer_id, status, total, revenue, discount, coupon, currency,
                refunded_amount, ordered_at, updated_at)
            select id, c, 'completed', t::numeric, r::numeric, d::numeric, cp, cu, 0, at::timestamptz, at::timestamptz
            from unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::varchar[]) with ordinality as u(id, c, t, r, d, cp, cu, at, i)
            order by i
            on conflict (order_id) do nothing
            returning order_id
            """;

    private static final String INSERT_LINES = """
            insert into order_line (order_id, line_no, product_id, sku, category, name, price, quantity)
            select o, n, p, s, c, nm, pr::numeric, q
            from unnest(?::varchar[], ?::integer[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::integer[]) as u(o, n, p, s, c, nm, pr, q)
            """;

    private static BigDecimal total(OrderFacts o) {
        return o.total() != null ? o.total() : o.revenue() != null ? o.revenue() : BigDecimal.ZERO;
    }

    private InsertValuesStep11<Record, String, Long, String, BigDecimal, BigDecimal, BigDecimal, String, String,
            BigDecimal, OffsetDateTime, OffsetDateTime> insertOrders() {
        return db.insertInto(O.T, O.ORDER_ID, O.CUSTOMER_ID, O.STATUS, O.TOTAL, O.REVENUE, O.DISCOUNT, O.COUPON,
                O.CURRENCY, O.REFUNDED, O.ORDERED_AT, O.UPDATED_AT);
    }

    private static InsertValuesStep11<Record, String, Long, String, BigDecimal, BigDecimal, BigDecimal, String, String,
            BigDecimal, OffsetDateTime, OffsetDateTime> row(InsertValuesStep11<Record, String, Long, String, BigDecimal,
            BigDecimal, BigDecimal, String, String, BigDecimal, OffsetDateTime, OffsetDateTime> step, Completion c) {
        OrderFacts o = c.order();
        return step.values(o.orderId(), c.customerId(), "completed", total(o), o.revenue(), o.discount(), o.coupon(),
                o.currency(), BigDecimal.ZERO, o.orderedAt(), o.orderedAt());
    }

    @Override
    @Transactional
    public boolean recordRefund(String orderId, BigDecimal amount, OffsetDateTime at) {
        Record r = db.select(O.TOTAL, O.REFUNDED).from(O.T).where(O.ORDER_ID.eq(orderId)).forUpdate().fetchOne();
        if (r == null) {
            return false;
        }
        BigDecimal total = r.get(O.TOTAL);
        BigDecimal refunded = r.get(O.REFUNDED);
        if (refunded.compareTo(total) >= 0) {
            return false;
        }
        BigDecimal next = amount == null ? total : refunded.add(amount.abs()).min(total);
        db.update(O.T).set(O.REFUNDED, next).set(O.STATUS, next.compareTo(total) >= 0 ? "refunded" : "partially_refunded")
                .set(O.UPDATED_AT, at).where(O.ORDER_ID.eq(orderId)).execute();
        return true;
    }

    List<OrderRow> forCustomer(long customerId, int limit) {
        return db.select(O.ALL).from(O.T).where(O.CUSTOMER_ID.eq(customerId)).orderBy(O.ORDERED_AT.desc(), O.ORDER_ID)
                .limit(limit)
                .fetch(r -> new OrderRow(r.get(O.ORDER_ID), r.get(O.CUSTOMER_ID), r.get(O.STATUS), r.get(O.TOTAL),
                        r.get(O.REVENUE), r.get(O.DISCOUNT), r.get(O.COUPON), r.get(O.CURRENCY), r.get(O.REFUNDED),
                        r.get(O.ORDERED_AT)));
    }

    List<OrderLine> lines(String orderId) {
        return db.select(L.PRODUCT_ID, L.SKU, L.CATEGORY, L.NAME, L.PRICE, L.QUANTITY).from(L.T)
                .where(L.ORDER_ID.eq(orderId)).orderBy(L.LINE_NO)
                .fetch(r -> new OrderLine(r.get(L.PRODUCT_ID), r.get(L.SKU), r.get(L.CATEGORY), r.get(L.NAME),
                        r.get(L.PRICE), r.get(L.QUANTITY)));
    }
}
