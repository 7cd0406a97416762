package io.siyu.imports.internal;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.Resolution;
import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.event.OrderFacts;
import io.siyu.event.OrderLine;
import io.siyu.event.Orders;
import io.siyu.platform.BrandClock;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Imports historic orders. Adjacent rows with the same {@code order_id} are one order, one line per
 * row; the order-level columns are read from its first row (later rows may repeat them or leave
 * them blank). The customer is resolved from the identity columns, then the order and its
 * {@code Order Completed} event are written in one transaction — the event only when the order is
 * new, so a file imported twice changes nothing the second time.
 */
@Component
class OrderImport {

    static final String EVENT = "Order Completed";
    private static final Logger log = LoggerFactory.getLogger(OrderImport.class);
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    /** What order_line keeps of each text column. */
    private static final Map<String, Integer> LINE_TEXT_LIMITS = Map.of("product_id", 100, "sku", 100,
            "category", 200, "name", 300);
    private static final List<String> ORDER_LEVEL = List.of("ordered_at", "total", "revenue", "discount", "coupon",
            "currency");

    private final Customers customers;
    private final Orders orders;
    private final EventLog events;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final ObjectMapper json;

    OrderImport(Customers customers, Orders orders, EventLog events, TransactionTemplate tx, BrandClock clock,
            ObjectMapper json) {
        this.customers = customers;
        this.orders = orders;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /** The rows of one order as they are read, and what was wrong with them. */
    static final class Group {
        final String orderId;
        final List<Long> rowNos = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        final Map<Long, List<FieldProblem>> problems = new LinkedHashMap<>();
        final List<OrderLine> lines = new ArrayList<>();

        Group(String orderId) {
            this.orderId = orderId;
        }

        void problem(long rowNo, FieldProblem p) {
            problems.computeIfAbsent(rowNo, k -> new ArrayList<>()).add(p);
        }
    }

    /** Reads a file's data rows into orders; call {@link #finish} after the last row. */
    final class Reader {
        private final ColumnMap map;
        private final long jobId;
        private final ImportReport report;
        private final Set<String> seen = new HashSet<>();
        private Group current;

        Reader(ColumnMap map, long jobId, ImportReport report) {
            this.map = map;
            this.jobId = jobId;
            this.report = report;
        }

        void row(long rowNo, List<String> row) {
            report.rows++;
            String orderId = map.cell(row, "order_id").strip();
            if (current != null && current.orderId.equals(orderId)) {
                add(current, rowNo, row);
                return;
            }
            finish();
            if (orderId.isEmpty()) {
                refuseAlone(rowNo, row, FieldProblem.of(header("order_id"), "import-missing-value", header("order_id")));
                return;
            }
            if (!seen.add(orderId)) {
                refuseAlone(rowNo, row, FieldProblem.of(header("order_id"), "import-order-not-adjacent", orderId));
                return;
            }
            current = new Group(orderId);
            add(current, rowNo, row);
        }

        /** Imports the order being read, if any. */
        void finish() {
            if (current != null) {
                Group g = current;
                current = null;
                importGroup(g);
            }
        }

        private void refuseAlone(long rowNo, List<String> row, FieldProblem p) {
            report.failed++;
            report.refuse(rowNo, p.pointer(), p.code(), p.args(), row);
        }

        private void add(Group g, long rowNo, List<String> row) {
            if (!g.rows.isEmpty()) {
                List<String> first = g.rows.getFirst();
                for (String name : ORDER_LEVEL) {
                    String v = map.cell(row, name).strip();
                    if (!v.isEmpty() && !v.equals(map.cell(first, name).strip())) {
                        g.problem(rowNo, FieldProblem.of(header(name), "import-order-mismatch", header(name), g.orderId));
                    }
                }
                RowIdentities firstIds = RowIdentities.of(map, first);
                RowIdentities ids = RowIdentities.of(map, row);
                for (int i = 0; i < ids.inputs().size(); i++) {
                    if (!firstIds.inputs().contains(ids.inputs().get(i))) {
                        String col = ids.columns().get(i);
                        g.problem(rowNo, FieldProblem.of(col, "import-order-mismatch", col, g.orderId));
                    }
                }
            }
            g.rowNos.add(rowNo);
            g.rows.add(row);
            line(g, rowNo, row);
        }

        private void line(Group g, long rowNo, List<String> row) {
            boolean any = ColumnMap.PRODUCT.stream().anyMatch(c -> !Cells.blank(map.cell(row, c)));
            if (!any) {
                return;
            }
            BigDecimal price = null;
            Integer quantity = null;
            try {
                String p = map.cell(row, "price");
                price = Cells.blank(p) ? null : Cells.money(header("price"), p);
            } catch (CellProblem e) {
                g.problem(rowNo, new FieldProblem(header("price"), e.code(), e.args()));
            }
            try {
                String q = map.cell(row, "quantity");
                quantity = Cells.blank(q) ? null : Cells.positiveInt(header("quantity"), q);
            } catch (CellProblem e) {
                g.problem(rowNo, new FieldProblem(header("quantity"), e.code(), e.args()));
            }
            LINE_TEXT_LIMITS.forEach((name, max) -> {
                String v = map.cell(row, name).strip();
                if (v.length() > max) {
                    g.problem(rowNo, FieldProblem.of(header(name), "import-value-too-long", header(name), max));
                }
            });
            g.lines.add(new OrderLine(text(row, "product_id"), text(row, "sku"), text(row, "category"),
                    text(row, "name"), price, quantity));
        }

        private String text(List<String> row, String name) {
            String v = map.cell(row, name).strip();
            return v.isEmpty() ? null : v;
        }

        private String header(String name) {
            return map.field(name).map(ColumnMap.Field::header).orElse(name);
        }

        private void importGroup(Group g) {
            long firstRow = g.rowNos.getFirst();
            List<String> first = g.rows.getFirst();
            RowIdentities ids = RowIdentities.of(map, first);
            if (ids.isEmpty()) {
                g.problem(firstRow, FieldProblem.of("", "import-missing-identity"));
            }
            OrderFacts facts = facts(g, firstRow, first);
            if (g.problems.isEmpty()) {
                try {
                    Resolution r = customers.identify(ids.inputs(), CustomerTraits.NONE, facts.orderedAt());
                    report.resolved(r.created(), r.mergedCustomerIds().size());
                    if (record(r.customerId(), facts)) {
                        report.imported++;
                    } else {
                        report.skipped++;
                    }
                    return;
                } catch (SiyuException e) {
                    ids.problems(e, Map.of()).forEach(p -> g.problem(firstRow, p));
                } catch (RuntimeException e) {
                    log.error("Import of order {} failed", g.orderId, e);
                    g.problem(firstRow, FieldProblem.of("", "internal-error"));
                }
            }
            report.failed++;
            for (int i = 0; i < g.rowNos.size(); i++) {
                long rowNo = g.rowNos.get(i);
                List<FieldProblem> problems = g.problems.get(rowNo);
                if (problems == null) {
                    report.refuse(rowNo, "", "import-order-refused", List.of(g.orderId), g.rows.get(i));
                } else {
                    for (FieldProblem p : problems) {
                        report.refuse(rowNo, p.pointer(), p.code(), p.args(), g.rows.get(i));
                    }
                }
            }
        }

        private OrderFacts facts(Group g, long rowNo, List<String> row) {
            OffsetDateTime orderedAt = null;
            String at = map.cell(row, "ordered_at");
            if (Cells.blank(at)) {
                g.problem(rowNo, FieldProblem.of(header("ordered_at"), "import-missing-value", header("ordered_at")));
            } else {
                try {
                    orderedAt = Cells.dateTime(header("ordered_at"), at, clock.zone());
                } catch (CellProblem e) {
                    g.problem(rowNo, new FieldProblem(header("ordered_at"), e.code(), e.args()));
                }
            }
            BigDecimal total = money(g, rowNo, row, "total");
            BigDecimal revenue = money(g, rowNo, row, "revenue");
            BigDecimal discount = money(g, rowNo, row, "discount");
            if (total == null && revenue == null && Cells.blank(map.cell(row, "total"))
                    && Cells.blank(map.cell(row, "revenue"))) {
                g.problem(rowNo, FieldProblem.of(header("total"), "import-missing-value", header("total")));
            }
            String currency = map.cell(row, "currency").strip().toUpperCase(Locale.ROOT);
            if (!currency.isEmpty() && !CURRENCY.matcher(currency).matches()) {
                g.problem(rowNo, FieldProblem.of(header("currency"), "import-invalid-currency", map.cell(row, "currency")));
            }
            String coupon = text(row, "coupon");
            if (coupon != null && coupon.length() > 100) {
                g.problem(rowNo, FieldProblem.of(header("coupon"), "import-value-too-long", header("coupon"), 100));
            }
            if (g.orderId.length() > 100) {
                g.problem(rowNo, FieldProblem.of(header("order_id"), "import-value-too-long", header("order_id"), 100));
            }
            return new OrderFacts(g.orderId, total, revenue, discount, coupon, currency, orderedAt, g.lines);
        }

        private BigDecimal money(Group g, long rowNo, List<String> row, String name) {
            String v = map.cell(row, name);
            if (Cells.blank(v)) {
                return null;
            }
            try {
                return Cells.money(header(name), v);
            } catch (CellProblem e) {
                g.problem(rowNo, new FieldProblem(header(name), e.code(), e.args()));
                return null;
            }
        }

        /** Writes the order and its event together; false when the order was already recorded. */
        private boolean record(long customerId, OrderFacts facts) {
            try {
                return Boolean.TRUE.equals(tx.execute(s -> {
                    if (!orders.recordCompleted(customerId, facts)) {
                        return false;
                    }
                    events.append(List.of(event(customerId, facts)));
                    return true;
                }));
            } catch (DuplicateKeyException concurrentDuplicate) {
                return false;
            }
        }

        private NewEvent event(long customerId, OrderFacts o) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("order_id", o.orderId());
            putIfSet(props, "total", o.total());
            putIfSet(props, "revenue", o.revenue());
            putIfSet(props, "discount", o.discount());
            putIfSet(props, "coupon", o.coupon());
            props.put("currency", o.currency());
            List<Map<String, Object>> products = new ArrayList<>();
            for (OrderLine l : o.lines()) {
                Map<String, Object> p = new LinkedHashMap<>();
                putIfSet(p, "product_id", l.productId());
                putIfSet(p, "sku", l.sku());
                putIfSet(p, "category", l.category());
                putIfSet(p, "name", l.name());
                putIfSet(p, "price", l.price());
                putIfSet(p, "quantity", l.quantity());
                products.add(p);
            }
            props.put("products", products);
            String context = json.writeValueAsString(Map.of("source", "import", "jobId", String.valueOf(jobId)));
            return new NewEvent(customerId, "track", EVENT, "import-order-" + o.orderId(), null, o.orderedAt(),
                    clock.now(), false, json.writeValueAsString(props), context);
        }
    }

    Reader reader(ColumnMap map, long jobId, ImportReport report) {
        return new Reader(map, jobId, report);
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null && !Objects.equals(value, "")) {
            map.put(key, value);
        }
    }
}
