package io.siyu.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.event.EventLog;
import io.siyu.event.EventProcessing;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The bitmap engine adds most events to its counts from the log's heads instead of reading the
 * customer again: after every round of tracking calls, what it holds for the customers equals what a
 * full load reads from the database, and the rounds where nothing but plain events arrived were
 * taken in without reading the customers in full.
 */
class SegmentEngineFollowsLogIT extends ApiTest {

    @Autowired
    SegmentEngine engine;

    @Autowired
    FactLoader loader;

    @Autowired
    EventLog log;

    @Autowired
    EventProcessing processing;

    private final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

    @Test
    void countsTakenFromTheLogEqualAFreshLoad() throws Exception {
        String key = admin().post("/api/v1/write-keys", Map.of("name", "engine-" + UUID.randomUUID())).str("/key");
        Api t = api().basic(key, "");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add("engine-" + UUID.randomUUID());
        }
        // round 1: new customers (read in full), events on several days, an order, named views
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            String u = users.get(i);
            batch.add(msg("identify", u, now.minusDays(3), Map.of("traits", Map.of("name", "客户" + i, "address", Map.of("city", "上海")))));
            batch.add(msg("track", u, now.minusDays(40 + i), Map.of("event", "Product Viewed",
                    "properties", Map.of("product_id", "p" + i))));
            batch.add(msg("page", u, now.minusDays(1), Map.of("name", "Home")));
            batch.add(msg("screen", u, now.minusHours(2), Map.of("name", "Cart")));
        }
        batch.add(msg("track", users.get(0), now.minusDays(2), order("o-" + UUID.randomUUID(), 88)));
        send(t, batch);
        Set<Long> ids = new TreeSet<>();
        for (String u : users) {
            ids.add(Long.parseLong(admin().get("/api/v1/customers/lookup?type=external_id&value=" + u).str("/id")));
        }
        followAndCompare(ids);
        // idle catch-ups: nobody was read in full in the last one
        engine.catchUp();
        engine.catchUp();

        // round 2: nothing but plain events, and an identify whose traits change nothing
        org.roaringbitmap.RoaringBitmap read = new org.roaringbitmap.RoaringBitmap();
        org.roaringbitmap.RoaringBitmap added = new org.roaringbitmap.RoaringBitmap();
        SegmentEngine.ReadObserver observer = (full, plus) -> {
            synchronized (read) {
                read.or(full);
                added.or(plus);
            }
        };
        engine.observeReads(observer);
        batch.clear();
        for (int i = 0; i < users.size(); i++) {
            String u = users.get(i);
            batch.add(msg("identify", u, now.minusMinutes(5), Map.of("traits", Map.of("name", "客户" + i, "address", Map.of("city", "上海")))));
            batch.add(msg("track", u, now.minusDays(40 + i), Map.of("event", "Product Viewed")));
            batch.add(msg("track", u, now.minusDays(7), Map.of("event", "Coupon Claimed")));
            batch.add(msg("page", u, now.minusDays(1), Map.of("name", "Home")));
            batch.add(msg("page", u, now.minusDays(95), Map.of()));
        }
        send(t, batch);
        followAndCompare(ids);
        synchronized (read) {
            for (long id : ids) {
                assertThat(read.contains(Math.toIntExact(id))).as("%d read in full", id).isFalse();
                assertThat(added.contains(Math.toIntExact(id))).as("events of %d added", id).isTrue();
            }
        }
        engine.catchUp();
        engine.catchUp();

        // round 3: a changed profile (an old timestamp), an order and its refund, a tag (a system event)
        synchronized (read) {
            read.clear();
            added.clear();
        }
        String order = "o-" + UUID.randomUUID();
        batch.clear();
        batch.add(msg("identify", users.get(1), now.minusDays(30), Map.of("traits", Map.of("address", Map.of("city", "杭州")))));
        batch.add(msg("track", users.get(2), now.minusHours(1), order(order, 120)));
        batch.add(msg("track", users.get(2), now.minusMinutes(30), Map.of("event", "Order Refunded",
                "properties", Map.of("order_id", order, "total", 20))));
        batch.add(msg("track", users.get(3), now.minusMinutes(3), Map.of("event", "Product Viewed")));
        // a second order of a customer with one: both orders' lines come back, in order
        batch.add(msg("track", users.get(0), now.minusMinutes(2), order("o-" + UUID.randomUUID(), 66)));
        send(t, batch);
        long group = Long.parseLong(admin().post("/api/v1/tag-groups", Map.of("name", "g-" + UUID.randomUUID())).str("/id"));
        String tag = admin().post("/api/v1/tags", Map.of("groupId", group, "name", "t-" + UUID.randomUUID())).str("/id");
        long tagged = new java.util.ArrayList<>(ids).get(4);
        assertThat(admin().post("/api/v1/tags/" + tag + "/assign", Map.of("customerIds", List.of(tagged))).status())
                .isEqualTo(200);
        followAndCompare(ids);
        engine.stopObserving(observer);
        long changedProfile = Long.parseLong(
                admin().get("/api/v1/customers/lookup?type=external_id&value=" + users.get(1)).str("/id"));
        synchronized (read) {
            assertThat(read.contains(Math.toIntExact(changedProfile))).as("the changed profile read in full").isTrue();
            assertThat(read.contains(Math.toIntExact(tagged))).as("the tagged customer read in full").isTrue();
        }
        assertThat(engine.withFacts(f -> f.strings.get("city").get(Math.toIntExact(
                Long.parseLong(admin().get("/api/v1/customers/lookup?type=external_id&value=" + users.get(1)).str("/id")))))
                .orElseThrow()).isEqualTo("杭州");
    }

    /** The texts of codes of {@code facts} (each Facts codes its texts in its own way). */
    private static List<String> texts(Facts facts, int[] codes) {
        Map<Integer, String> byCode = new HashMap<>();
        facts.codes.forEach((text, code) -> byCode.put(code, text));
        return Arrays.stream(codes).mapToObj(byCode::get).toList();
    }

    private static Map<String, Object> order(String id, double total) {
        return Map.of("event", "Order Completed", "properties", Map.of("order_id", id, "total", total, "currency", "CNY",
                "products", List.of(Map.of("product_id", "p1", "sku", "S-1", "category", "C", "price", total,
                        "quantity", 1), Map.of("product_id", "p2-" + id, "sku", "S-2", "category", "D", "price", 1,
                        "quantity", 2))));
    }

    private static Map<String, Object> msg(String type, String user, OffsetDateTime at, Map<String, Object> rest) {
        Map<String, Object> m = new HashMap<>(rest);
        m.put("type", type);
        m.put("userId", user);
        m.put("messageId", UUID.randomUUID().toString());
        m.put("timestamp", at.toString());
        return m;
    }

    private static void send(Api t, List<Map<String, Object>> batch) {
        var res = t.post("/v1/batch", Map.of("batch", batch));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
    }

    /** Waits until the engine has followed the log to its head, then compares it with a fresh load. */
    private void followAndCompare(Set<Long> ids) throws Exception {
        processing.drain();
        long head = log.committedHead(Duration.ofSeconds(30));
        assertThat(engine.awaitCatchUp(head, Duration.ofSeconds(60))).as("the engine caught up").isTrue();
        Facts fresh = loader.loadAll();
        engine.withFacts(held -> {
            for (long id : ids) {
                int i = Math.toIntExact(id);
                assertThat(held.active.contains(i)).as("active %d", id).isEqualTo(fresh.active.contains(i));
                for (String f : Facts.TIME_FIELDS) {
                    assertThat(held.times.get(f)[i]).as("%s of %d", f, id).isEqualTo(fresh.times.get(f)[i]);
                }
                for (String f : Facts.STRING_FIELDS) {
                    assertThat(held.strings.get(f).get(i)).as("%s of %d", f, id).isEqualTo(fresh.strings.get(f).get(i));
                }
                Set<String> names = new HashSet<>(held.events.keySet());
                names.addAll(fresh.events.keySet());
                for (String n : names) {
                    long[] a = held.events.containsKey(n) ? held.events.get(n)[i] : null;
                    long[] b = fresh.events.containsKey(n) ? fresh.events.get(n)[i] : null;
                    assertThat(Arrays.toString(a)).as("daily counts of %s for %d", n, id).isEqualTo(Arrays.toString(b));
                }
                Facts.CustomerOrders a = held.orders[i];
                Facts.CustomerOrders b = fresh.orders[i];
                assertThat(a == null).as("orders of %d", id).isEqualTo(b == null);
                if (a != null) {
                    assertThat(a.at()).isEqualTo(b.at());
                    assertThat(a.netCents()).isEqualTo(b.netCents());
                    assertThat(a.counted()).isEqualTo(b.counted());
                    assertThat(a.lineOrder()).as("lines' orders of %d", id).isEqualTo(b.lineOrder());
                    assertThat(texts(held, a.product())).as("products of %d", id).isEqualTo(texts(fresh, b.product()))
                            .doesNotContainNull();
                    assertThat(texts(held, a.sku())).as("skus of %d", id).isEqualTo(texts(fresh, b.sku()));
                    assertThat(texts(held, a.category())).as("categories of %d", id).isEqualTo(texts(fresh, b.category()));
                }
                for (var tag : fresh.tags.entrySet()) {
                    assertThat(held.tags.getOrDefault(tag.getKey(), new org.roaringbitmap.RoaringBitmap()).contains(i))
                            .as("tag %d of %d", tag.getKey(), id).isEqualTo(tag.getValue().contains(i));
                }
            }
            return true;
        }).orElseThrow();
    }
}
