package io.siyu.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.testing.ApiTest;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

class EventLogIT extends ApiTest {

    @Autowired
    EventLog log;

    @Autowired
    EventProcessing processing;

    @Autowired
    Orders orders;

    @Autowired
    Customers customers;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DSLContext db;

    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);

    private long customer() {
        return customers.identify(List.of(IdentityInput.of("anonymous_id", UUID.randomUUID().toString())),
                CustomerTraits.NONE).customerId();
    }

    private static NewEvent track(long customerId, String name, OffsetDateTime at, String properties) {
        return new NewEvent(customerId, "track", name, UUID.randomUUID().toString(), null, at, NOW, false, properties, null);
    }

    @Test
    void appendedEventsAreReadInOffsetOrder() {
        long c = customer();
        long head = log.headOffset();
        tx.executeWithoutResult(s -> log.append(List.of(track(c, "A", NOW, null), track(c, "B", NOW, "{\"x\":1}"),
                track(c, "C", NOW, null))));
        processing.drain();
        List<LoggedEvent> read = log.read(head, 1000).stream().filter(e -> e.customerId() == c).toList();
        assertThat(read).extracting(LoggedEvent::name).containsExactly("A", "B", "C");
        assertThat(read).extracting(LoggedEvent::offset).isSorted().doesNotHaveDuplicates();
        assertThat(log.headOffset()).isGreaterThanOrEqualTo(read.getLast().offset());
    }

    @Test
    void anEventThatCommitsLateIsNotSkippedByAReaderThatMovedOn() throws Exception {
        long c = customer();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread slow = Thread.ofPlatform().start(() -> tx.executeWithoutResult(s -> {
            log.append(List.of(track(c, "slow", NOW, null)));  // takes the lower id
            appended.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
        tx.executeWithoutResult(s -> log.append(List.of(track(c, "fast", NOW, null))));
        processing.drain();
        // a reader catches up to everything visible so far: the fast event, not the uncommitted slow one
        long position = log.headOffset();
        assertThat(names(c, 0)).containsExactly("fast");

        release.countDown();
        slow.join(30_000);
        processing.drain();
        List<LoggedEvent> after = log.read(position, 1000).stream().filter(e -> e.customerId() == c).toList();
        assertThat(after).extracting(LoggedEvent::name).containsExactly("slow");
        Long slowId = after.getFirst().id();
        Long fastId = db.select(field(name("id"), Long.class)).from(table(name("customer_event")))
                .where(field(name("customer_id")).eq(c)).and(field(name("name")).eq("fast")).fetchOne().value1();
        assertThat(slowId).isLessThan(fastId);
    }

    @Test
    void aNumberedAppendHoldsLaterNumberingUntilItCommits() throws Exception {
        long c = customer();
        long head = log.headOffset();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = Thread.ofPlatform().start(() -> tx.executeWithoutResult(s -> {
            log.appendNumbered(List.of(track(c, "first", NOW, null)));
            appended.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofPlatform().start(() -> tx.executeWithoutResult(
                s -> log.appendNumbered(List.of(track(c, "second", NOW, null)))));
        sleep(300);
        // the second writer waits for the first one's commit before it may take offsets
        assertThat(second.isAlive()).isTrue();
        assertThat(names(c, head)).isEmpty();
        assertThat(log.headOffset()).isEqualTo(head);

        release.countDown();
        first.join(30_000);
        second.join(30_000);
        List<LoggedEvent> read = log.read(head, 1000).stream().filter(e -> e.customerId() == c).toList();
        assertThat(read).extracting(LoggedEvent::name).containsExactly("first", "second");
        assertThat(read.getFirst().offset()).isGreaterThan(head).isLessThan(read.getLast().offset());
    }

    private List<String> names(long customerId, long after) {
        return log.read(after, 100_000).stream().filter(e -> e.customerId() == customerId).map(LoggedEvent::name).toList();
    }

    @Test
    void aggregatesKeptIncrementallyEqualAggregatesRebuiltFromTheLog() {
        List<Long> people = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            people.add(customer());
        }
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 6; round++) {
            List<NewEvent> batch = new ArrayList<>();
            for (long c : people) {
                int n = random.nextInt(8);
                for (int j = 0; j < n; j++) {
                    OffsetDateTime at = NOW.minusHours(random.nextInt(24 * 120));
                    String name = List.of("Product Viewed", "Article Read", "Coupon Claimed").get(random.nextInt(3));
                    batch.add(random.nextInt(5) == 0
                            ? new NewEvent(c, "page", "Home", null, null, at, NOW, false, null, null)
                            : random.nextInt(7) == 0 ? NewEvent.system(c, "segment entered", at, null)
                            : track(c, name, at, null));
                }
                if (random.nextInt(3) == 0) {
                    String orderId = "o-" + UUID.randomUUID();
                    OffsetDateTime at = NOW.minusDays(random.nextInt(200));
                    tx.executeWithoutResult(s -> {
                        orders.recordCompleted(c, new OrderFacts(orderId, new BigDecimal(100 + random.nextInt(900)),
                                null, null, null, null, at, List.of()));
                        log.append(List.of(track(c, "Order Completed", at, "{\"order_id\":\"" + orderId + "\"}")));
                    });
                }
            }
            tx.executeWithoutResult(s -> log.append(batch));
            processing.drain();
        }
        List<Record> incremental = snapshot(people);
        var rebuilt = admin().post("/api/v1/customer-aggregates/rebuild", Map.of());
        assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(202);
        var job = admin().get("/api/v1/jobs/" + rebuilt.str("/id"));
        for (int i = 0; i < 300 && !job.str("/status").equals("succeeded"); i++) {
            assertThat(job.str("/status")).isIn("queued", "running");
            sleep(100);
            job = admin().get("/api/v1/jobs/" + rebuilt.str("/id"));
        }
        assertThat(job.str("/status")).isEqualTo("succeeded");
        assertThat(job.body().at("/result/customers").asInt()).isPositive();
        assertThat(snapshot(people)).isEqualTo(incremental);
        assertThat(incremental).isNotEmpty();
    }

    @Test
    void dailyCountsAddUpPerCustomerKeyAndDayAcrossBatches() {
        long c = customer();
        long other = customer();
        // noon in the brand's zone (+08:00) and 04:00 UTC: the same calendar day either way
        OffsetDateTime day1 = OffsetDateTime.parse("2026-03-10T04:00:00Z");
        OffsetDateTime day2 = day1.plusDays(1);
        List<List<NewEvent>> batches = List.of(
                List.of(track(c, "Product Viewed", day1, null), track(c, "Product Viewed", day1.plusMinutes(1), null),
                        new NewEvent(c, "page", "Home", null, null, day1, NOW, false, null, null),
                        track(other, "Product Viewed", day1, null)),
                // the stored customer-day gains a key before and after the existing ones, and adds to one
                List.of(track(c, "Article Read", day1.plusMinutes(2), null), track(c, "Zoom Joined", day1, null),
                        track(c, "Product Viewed", day1.plusMinutes(3), null), track(c, "Product Viewed", day2, null)),
                List.of(new NewEvent(c, "page", "Home", null, null, day1.plusMinutes(5), NOW, false, null, null),
                        NewEvent.system(c, "segment entered", day2, null)));
        for (List<NewEvent> batch : batches) {
            tx.executeWithoutResult(s -> log.append(batch));
            processing.drain();
        }
        List<String> counts = new ArrayList<>();
        db.select(field(name("event_name")), field(name("bucket_day")), field(name("cnt")))
                .from(table(name("customer_daily_count"))).where(field(name("customer_id")).eq(c))
                .orderBy(field(name("bucket_day")), field(name("event_name")))
                .forEach(r -> counts.add(r.get(1) + " " + r.get(0) + " " + r.get(2)));
        assertThat(counts).containsExactly("2026-03-10 Article Read 1", "2026-03-10 Product Viewed 3",
                "2026-03-10 Zoom Joined 1", "2026-03-10 page 2", "2026-03-10 page:Home 2",
                "2026-03-11 Product Viewed 1", "2026-03-11 segment entered 1");
        assertThat(db.fetchCount(table(name("customer_daily_count")), field(name("customer_id")).eq(other))).isEqualTo(1);
        if (io.siyu.testing.TestDatabase.isPostgres()) {
            // one stored row per customer-day, its keys sorted
            List<String> stored = new ArrayList<>();
            db.resultQuery("select bucket_day, array_to_string(event_names, '|'), array_to_string(counts, '|') "
                    + "from customer_day_count where customer_id = ? order by bucket_day", c)
                    .forEach(r -> stored.add(r.get(0) + " " + r.get(1) + " " + r.get(2)));
            assertThat(stored).hasSize(2);
            assertThat(stored.get(0)).startsWith("2026-03-10 ").endsWith(" 1|3|1|2|2");
            assertThat(stored.get(0)).contains("Article Read|Product Viewed|Zoom Joined|page|page:Home");
            assertThat(stored.get(1)).isEqualTo("2026-03-11 Product Viewed|segment entered 1|1");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<Record> snapshot(List<Long> people) {
        List<Record> rows = new ArrayList<>(db.select(field(name("customer_id")), field(name("first_seen")),
                        field(name("last_seen")), field(name("last_interaction")), field(name("events_count")),
                        field(name("orders_count")), field(name("total_spent")), field(name("first_order_at")),
                        field(name("last_order_at")))
                .from(table(name("customer_aggregate"))).where(field(name("customer_id")).in(people))
                .orderBy(field(name("customer_id"))).fetch());
        rows.addAll(db.select(field(name("customer_id")), field(name("event_name")), field(name("bucket_day")),
                        field(name("cnt")))
                .from(table(name("customer_daily_count"))).where(field(name("customer_id")).in(people))
                .orderBy(field(name("customer_id")), field(name("event_name")), field(name("bucket_day"))).fetch());
        return rows;
    }

    @Test
    void timelineAggregatesAndOrdersThroughTheApi() {
        String anon = UUID.randomUUID().toString();
        long c = customers.identify(List.of(IdentityInput.of("anonymous_id", anon)), CustomerTraits.NONE).customerId();
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(track(c, i % 2 == 0 ? "Product Viewed" : "Article Read", NOW.minusDays(i * 10L), "{\"i\":" + i + "}"));
        }
        tx.executeWithoutResult(s -> {
            log.append(events);
            orders.recordCompleted(c, new OrderFacts("demo-" + anon, new BigDecimal("299.00"), null, null, "NEW10", "CNY",
                    NOW.minusDays(3), List.of(new OrderLine("p1", "sku1", "奶粉", "婴儿奶粉 1段", new BigDecimal("299.00"), 1))));
            log.append(List.of(track(c, "Order Completed", NOW.minusDays(3), "{\"order_id\":\"demo-" + anon + "\"}")));
        });
        processing.drain();

        var page1 = admin().get("/api/v1/customers/" + c + "/events?limit=3");
        assertThat(page1.status()).as(page1.toString()).isEqualTo(200);
        assertThat(page1.body().at("/items").size()).isEqualTo(3);
        assertThat(page1.str("/items/0/occurredAt")).endsWith("+08:00");
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            var page = admin().get("/api/v1/customers/" + c + "/events?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            page.body().at("/items").forEach(n -> all.add(n.get("id").asString()));
            cursor = page.str("/nextCursor");
        } while (cursor != null);
        assertThat(all).hasSize(8).doesNotHaveDuplicates();
        assertThat(admin().get("/api/v1/customers/" + c + "/events?name=Article%20Read").body().at("/items").size())
                .isEqualTo(3);
        assertThat(admin().get("/api/v1/customers/" + c + "/events?from=" + NOW.minusDays(15).toLocalDate())
                .body().at("/items").size()).isBetween(2, 4);

        var agg = admin().get("/api/v1/customers/" + c + "/aggregates");
        assertThat(agg.status()).isEqualTo(200);
        assertThat(agg.body().at("/eventsCount").asLong()).isEqualTo(8);
        assertThat(agg.body().at("/ordersCount").asInt()).isEqualTo(1);
        assertThat(agg.body().at("/totalSpent").decimalValue()).isEqualByComparingTo("299");
        assertThat(agg.body().at("/averageOrderValue").decimalValue()).isEqualByComparingTo("299");
        assertThat(agg.body().at("/counts/Product Viewed/last7Days").asInt()).isEqualTo(1);
        assertThat(agg.body().at("/counts/Product Viewed/last90Days").asInt()).isEqualTo(4);

        var list = admin().get("/api/v1/customers/" + c + "/orders");
        assertThat(list.str("/items/0/orderId")).isEqualTo("demo-" + anon);
        assertThat(list.str("/items/0/products/0/category")).isEqualTo("奶粉");

        // a refund adjusts the order and, through its event, the aggregates
        tx.executeWithoutResult(s -> {
            assertThat(orders.recordRefund("demo-" + anon, new BigDecimal("99"), NOW)).isTrue();
            log.append(List.of(track(c, "Order Refunded", NOW, null)));
        });
        processing.drain();
        assertThat(admin().get("/api/v1/customers/" + c + "/aggregates").body().at("/totalSpent").decimalValue())
                .isEqualByComparingTo("200");
        assertThat(admin().get("/api/v1/customers/" + c + "/orders").str("/items/0/status")).isEqualTo("partially_refunded");
        assertThat(admin().get("/api/v1/customers/" + c + "/events?cursor=zzz").str("/code")).isEqualTo("invalid-cursor");
    }

    @Test
    void theTimelinePagesNewestFirstAcrossDaysAndEqualTimes() {
        long c = customer();
        OffsetDateTime beforeMidnight = OffsetDateTime.parse("2026-03-10T23:59:59.500Z");
        OffsetDateTime midnight = OffsetDateTime.parse("2026-03-11T00:00:00Z");
        OffsetDateTime lastLocalSecond = OffsetDateTime.parse("2026-03-11T15:59:59Z");  // 23:59:59 in +08:00
        OffsetDateTime nextLocalDay = OffsetDateTime.parse("2026-03-11T16:00:00Z");
        // appended in this order, so ids grow along it; the three at midnight tie on time
        List<NewEvent> events = List.of(track(c, "m1", midnight, null), track(c, "before", beforeMidnight, null),
                track(c, "next", nextLocalDay, null), track(c, "m2", midnight, null), track(c, "last", lastLocalSecond, null),
                track(c, "m3", midnight, null));
        tx.executeWithoutResult(s -> log.append(events));

        // newest first; equal times newest id first; pages of two meet without gaps or repeats
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = admin().get("/api/v1/customers/" + c + "/events?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().at("/items").forEach(n -> names.add(n.get("name").asString()));
            cursor = page.str("/nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(names).containsExactly("next", "last", "m3", "m2", "m1", "before");
        assertThat(pages).isEqualTo(3);

        // bounds: from inclusive, to exclusive, as instants and as the brand's (+08:00) days
        List<String> bounded = new ArrayList<>();
        admin().get("/api/v1/customers/" + c + "/events?from=2026-03-11T00:00:00Z&to=2026-03-11T16:00:00Z")
                .body().at("/items").forEach(n -> bounded.add(n.get("name").asString()));
        assertThat(bounded).containsExactly("last", "m3", "m2", "m1");
        List<String> localDay = new ArrayList<>();
        admin().get("/api/v1/customers/" + c + "/events?from=2026-03-12&to=2026-03-13")
                .body().at("/items").forEach(n -> localDay.add(n.get("name").asString()));
        assertThat(localDay).containsExactly("next");
        List<String> earlier = new ArrayList<>();
        admin().get("/api/v1/customers/" + c + "/events?to=2026-03-11T00:00:00.000001Z&limit=2")
                .body().at("/items").forEach(n -> earlier.add(n.get("name").asString()));
        assertThat(earlier).containsExactly("m3", "m2");
    }

    @Test
    void aMergeMovesEventsOrdersAndAggregatesToTheSurvivor() {
        long older = customer();
        long newer = customer();
        tx.executeWithoutResult(s -> {
            log.append(List.of(track(older, "Article Read", NOW.minusDays(2), null)));
            log.append(List.of(track(newer, "Product Viewed", NOW.minusDays(1), null)));
            orders.recordCompleted(newer, new OrderFacts("m-" + newer, new BigDecimal("50"), null, null, null, null,
                    NOW.minusDays(1), List.of()));
            log.append(List.of(track(newer, "Order Completed", NOW.minusDays(1), null)));
        });
        processing.drain();
        var merged = admin().post("/api/v1/customers/" + older + "/merge", Map.of("otherCustomerId", String.valueOf(newer)));
        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        processing.drain();
        var agg = admin().get("/api/v1/customers/" + older + "/aggregates");
        // three moved events plus the merge itself, a system event on the survivor's timeline
        assertThat(agg.body().at("/eventsCount").asLong()).isEqualTo(4);
        assertThat(agg.body().at("/ordersCount").asInt()).isEqualTo(1);
        var timeline = admin().get("/api/v1/customers/" + older + "/events");
        assertThat(timeline.body().at("/items").size()).isEqualTo(4);
        assertThat(timeline.str("/items/0/name")).isEqualTo("Customers Merged");
        assertThat(timeline.body().at("/items/0/system").booleanValue()).isTrue();
        assertThat(timeline.str("/items/0/properties/mergedCustomerId")).isEqualTo(String.valueOf(newer));
        assertThat(admin().get("/api/v1/customers/" + newer + "/events").body().at("/items").size()).isEqualTo(4);
        assertThat(db.fetchCount(table(name("customer_aggregate")), field(name("customer_id")).eq(newer))).isZero();
        assertThat(db.fetchCount(table(name("customer_daily_count")), field(name("customer_id")).eq(newer))).isZero();
        List<String> keys = new ArrayList<>();
        db.select(field(name("event_name"))).from(table(name("customer_daily_count")))
                .where(field(name("customer_id")).eq(older)).orderBy(field(name("event_name")))
                .forEach(r -> keys.add(r.get(0, String.class)));
        assertThat(keys).containsExactly("Article Read", "Customers Merged", "Order Completed", "Product Viewed");
    }

    @Test
    void exportReadersReadTheLogByOffset() {
        long c = customer();
        long head = log.headOffset();
        tx.executeWithoutResult(s -> log.append(List.of(track(c, "X1", NOW, "{\"a\":1}"), track(c, "X2", NOW, null))));
        processing.drain();
        var analyst = api().basic(io.siyu.testing.TestUsers.create(db, "analyst"), io.siyu.testing.TestUsers.PASSWORD);
        var page = analyst.get("/api/v1/events?after=" + head + "&limit=500");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        page.body().at("/items").forEach(n -> {
            if (n.get("customerId").asString().equals(String.valueOf(c))) {
                names.add(n.get("name").asString());
            }
        });
        assertThat(names).containsExactly("X1", "X2");
        long last = page.body().at("/lastOffset").asLong();
        assertThat(last).isGreaterThan(head);
        assertThat(analyst.get("/api/v1/events?after=" + page.body().at("/headOffset").asLong()).body().at("/items").size())
                .isZero();
        var operator = api().basic(io.siyu.testing.TestUsers.create(db, "operator"), io.siyu.testing.TestUsers.PASSWORD);
        assertThat(operator.get("/api/v1/events").status()).isEqualTo(403);
        assertThat(analyst.get("/api/v1/events?after=-1").str("/code")).isEqualTo("invalid-parameter");
    }
}
