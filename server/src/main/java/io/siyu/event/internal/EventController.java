package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.AG;
import static io.siyu.event.internal.EventTables.D;
import static io.siyu.event.internal.EventTables.E;

import io.siyu.customer.Customers;
import io.siyu.platform.BrandClock;
import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A customer's timeline, aggregates and orders; rebuilding the aggregates from the log. */
@RestController
@Tag(name = "Customer events", description = "Timeline, aggregates and orders of a customer")
class EventController {

    private final DSLContext db;
    private final io.siyu.platform.Jobs jobs;
    private final io.siyu.event.EventLog eventLog;
    private final Customers customers;
    private final OrderBook orders;
    private final Aggregates aggregates;
    private final ConsumerRunner runner;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final ObjectMapper json;

    EventController(DSLContext db, io.siyu.platform.Jobs jobs, io.siyu.event.EventLog eventLog, Customers customers, OrderBook orders, Aggregates aggregates, ConsumerRunner runner,
            TransactionTemplate tx, BrandClock clock, ObjectMapper json) {
        this.db = db;
        this.jobs = jobs;
        this.eventLog = eventLog;
        this.customers = customers;
        this.orders = orders;
        this.aggregates = aggregates;
        this.runner = runner;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /** One event of a timeline. */
    record EventView(String id, String type, String name, boolean system, OffsetDateTime occurredAt,
            OffsetDateTime receivedAt, String messageId, JsonNode properties) {
    }

    @GetMapping("/api/v1/customers/{id}/events")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A customer's timeline", description = "Newest first, cursor-paged; filter by name "
            + "(event name, or type for page/screen/identify) and time range from (inclusive) / to (exclusive).")
    Page<EventView> timeline(@PathVariable String id, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) String name,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        long customerId = customer(id);
        int n = Cursors.limit(limit);
        Condition where = E.CUSTOMER_ID.eq(customerId);
        if (name != null) {
            where = where.and(E.NAME.eq(name).or(E.NAME.isNull().and(E.TYPE.eq(name))));
        }
        // PostgreSQL indexes a customer's events by UTC day (V17_0): the bounds also bound the day, and the
        // newest day comes first, sorted within the day (the day grows with the time, so the order is the same)
        boolean byDay = db.dialect().family() == SQLDialect.POSTGRES;
        if (from != null) {
            OffsetDateTime at = clock.parseParameter(from, "from", false);
            where = where.and(E.OCCURRED_AT.ge(at));
            if (byDay) {
                where = where.and(E.UTC_DAY.ge(utcDay(at)));
            }
        }
        if (to != null) {
            OffsetDateTime at = clock.parseParameter(to, "to", false);
            where = where.and(E.OCCURRED_AT.lt(at));
            if (byDay) {
                where = where.and(E.UTC_DAY.le(utcDay(at)));
            }
        }
        if (cursor != null) {
            List<String> last = Cursors.decode(cursor, "-occurredAt", 2);
            try {
                OffsetDateTime at = OffsetDateTime.parse(last.get(0));
                long eventId = Long.parseLong(last.get(1));
                where = where.and(E.OCCURRED_AT.lt(at).or(E.OCCURRED_AT.eq(at).and(E.ID.lt(eventId))));
                if (byDay) {
                    where = where.and(E.UTC_DAY.le(utcDay(at)));
                }
            } catch (DateTimeParseException | NumberFormatException e) {
                throw SiyuException.badRequest("invalid-cursor");
            }
        }
        List<org.jooq.SortField<?>> order = byDay
                ? List.of(E.UTC_DAY.desc(), E.OCCURRED_AT.desc(), E.ID.desc())
                : List.of(E.OCCURRED_AT.desc(), E.ID.desc());
        List<Record> rows = db.select(E.ALL).from(E.T).where(where).orderBy(order).limit(n + 1).fetch();
        String next = null;
        if (rows.size() > n) {
            rows = rows.subList(0, n);
            Record last = rows.getLast();
            next = Cursors.encode("-occurredAt", List.of(last.get(E.OCCURRED_AT).toString(), String.valueOf(last.get(E.ID))));
        }
        return new Page<>(rows.stream().map(this::view).toList(), next);
    }

    private static LocalDate utcDay(OffsetDateTime at) {
        return at.atZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDate();
    }

    private EventView view(Record r) {
        String props = r.get(E.PROPERTIES);
        return new EventView(String.valueOf(r.get(E.ID)), r.get(E.TYPE), r.get(E.NAME), r.get(E.SYSTEM),
                clock.local(r.get(E.OCCURRED_AT)), clock.local(r.get(E.RECEIVED_AT)), r.get(E.MESSAGE_ID),
                props == null ? null : json.readTree(props));
    }

    /** A page of the log read by offset: the events and the offset to continue after. */
    record LogPage(List<LogEventView> items, long lastOffset, long headOffset) {
    }

    /** One event of the log as an export reader sees it. */
    record LogEventView(long offset, String id, String customerId, String type, String name, boolean system,
            OffsetDateTime occurredAt, OffsetDateTime receivedAt, String messageId, JsonNode properties) {
    }

    @GetMapping("/api/v1/events")
    @PreAuthorize("hasAuthority('event:read')")
    @Operation(summary = "Read the event log by offset", description = "For export readers (a warehouse, a stream): "
            + "events with an offset greater than `after`, in offset order; continue with after=lastOffset. Offsets are "
            + "handed out in commit order, so a reader that goes on from lastOffset never misses an event.")
    LogPage log(@RequestParam(defaultValue = "0") long after, @RequestParam(required = false) Integer limit) {
        if (after < 0) {
            throw SiyuException.invalid(List.of(FieldProblem.of("after", "invalid-parameter", "after", after)));
        }
        List<io.siyu.event.LoggedEvent> events = eventLog.read(after, Cursors.limit(limit));
        List<LogEventView> items = events.stream().map(e -> new LogEventView(e.offset(), String.valueOf(e.id()),
                String.valueOf(e.customerId()), e.type(), e.name(), e.system(), clock.local(e.occurredAt()),
                clock.local(e.receivedAt()), e.messageId(), e.properties() == null ? null : json.readTree(e.properties())))
                .toList();
        return new LogPage(items, events.isEmpty() ? after : events.getLast().offset(), eventLog.headOffset());
    }

    /** What the aggregates say about a customer. */
    record AggregateView(String customerId, OffsetDateTime firstSeen, OffsetDateTime lastSeen,
            OffsetDateTime lastInteraction, long eventsCount, int ordersCount, BigDecimal totalSpent,
            BigDecimal averageOrderValue, OffsetDateTime firstOrderAt, OffsetDateTime lastOrderAt,
            Map<String, Map<String, Integer>> counts) {
    }

    @GetMapping("/api/v1/customers/{id}/aggregates")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A customer's aggregates", description = "counts: per event name, how many in the last "
            + "7, 30 and 90 days (brand time zone, today included).")
    AggregateView aggregates(@PathVariable String id) {
        long customerId = customer(id);
        Record a = db.select(AG.ALL).from(AG.T).where(AG.CUSTOMER_ID.eq(customerId)).fetchOne();
        if (a == null) {
            throw SiyuException.notFound("aggregates-not-found", id);
        }
        LocalDate today = LocalDate.now(clock.zone());
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        db.select(D.NAME, D.DAY, D.CNT).from(D.T).where(D.CUSTOMER_ID.eq(customerId)).and(D.DAY.gt(today.minusDays(90)))
                .orderBy(D.NAME).forEach(r -> {
                    Map<String, Integer> c = counts.computeIfAbsent(r.get(D.NAME), k -> new LinkedHashMap<>(
                            Map.of("last7Days", 0, "last30Days", 0, "last90Days", 0)));
                    LocalDate day = r.get(D.DAY);
                    int n = r.get(D.CNT);
                    c.merge("last90Days", n, Integer::sum);
                    if (day.isAfter(today.minusDays(30))) {
                        c.merge("last30Days", n, Integer::sum);
                    }
                    if (day.isAfter(today.minusDays(7))) {
                        c.merge("last7Days", n, Integer::sum);
                    }
                });
        int ordersCount = a.get(AG.ORDERS);
        BigDecimal spent = a.get(AG.SPENT);
        BigDecimal aov = ordersCount == 0 ? null : spent.divide(BigDecimal.valueOf(ordersCount), 2, RoundingMode.HALF_UP);
        return new AggregateView(String.valueOf(customerId), clock.local(a.get(AG.FIRST_SEEN)),
                clock.local(a.get(AG.LAST_SEEN)), clock.local(a.get(AG.LAST_INTERACTION)), a.get(AG.EVENTS), ordersCount,
                spent, aov, clock.local(a.get(AG.FIRST_ORDER)), clock.local(a.get(AG.LAST_ORDER)), counts);
    }

    /** An order as the API shows it. */
    record OrderView(String orderId, String status, BigDecimal total, BigDecimal revenue, BigDecimal discount,
            String coupon, String currency, BigDecimal refundedAmount, OffsetDateTime orderedAt,
            List<io.siyu.event.OrderLine> products) {
    }

    @GetMapping("/api/v1/customers/{id}/orders")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A customer's orders, newest first (at most 500)")
    Map<String, List<OrderView>> orders(@PathVariable String id, @RequestParam(required = false) Integer limit) {
        long customerId = customer(id);
        return Map.of("items", orders.forCustomer(customerId, Cursors.limit(limit)).stream()
                .map(o -> new OrderView(o.orderId(), o.status(), o.total(), o.revenue(), o.discount(), o.coupon(),
                        o.currency(), o.refunded(), clock.local(o.orderedAt()), orders.lines(o.orderId())))
                .toList());
    }

    /** The outcome of a rebuild. */
    record RebuildResult(long upToOffset, int customers, long millis) {
    }

    @PostMapping("/api/v1/customer-aggregates/rebuild")
    @PreAuthorize("hasAuthority('settings:admin')")
    @Operation(summary = "Recompute every customer's aggregates from the event log (a job)", description = "Answers "
            + "202 with the job. Holds the aggregates consumer while it runs; events after the consumer's position are "
            + "applied by it afterwards.")
    org.springframework.http.ResponseEntity<io.siyu.platform.Job> rebuild() {
        io.siyu.platform.Job job = jobs.start("aggregates-rebuild", context -> rebuildNow());
        return org.springframework.http.ResponseEntity.accepted()
                .location(java.net.URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    RebuildResult rebuildNow() {
        long started = System.nanoTime();
        return tx.execute(status -> {
            runner.ensurePosition(AggregatesConsumer.NAME);
            long position = runner.lockPosition(AggregatesConsumer.NAME);
            aggregates.rebuild(null, position);
            int n = db.fetchCount(AG.T);
            return new RebuildResult(position, n, (System.nanoTime() - started) / 1_000_000);
        });
    }

    private long customer(String id) {
        try {
            return customers.resolveId(Long.parseLong(id))
                    .orElseThrow(() -> SiyuException.notFound("customer-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("customer-not-found", id);
        }
    }
}
