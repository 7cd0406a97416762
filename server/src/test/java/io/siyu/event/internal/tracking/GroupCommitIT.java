package io.siyu.event.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.IdentityInput;
import io.siyu.security.WriteKey;
import io.siyu.security.WriteKeys;
import io.siyu.testing.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Calls stored together in one group commit: each keeps its own outcomes, a message id repeated
 * across calls of one write key is stored once, and a call that fails, fails alone.
 */
class GroupCommitIT extends ApiTest {

    @Autowired
    TrackingIngest ingest;

    @Autowired
    WriteKeys writeKeys;

    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.ofHours(8));

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private WriteKey key() {
        return writeKeys.inProcess(unique("group-commit"), "GroupCommitIT");
    }

    private static TrackingIngest.Item track(int index, String messageId, String name, IdentityInput... ids) {
        return new TrackingIngest.Item(index, new TrackedMessage("track", name, messageId, List.of(ids), null,
                CustomerTraits.NONE, AT, "{}", null, new TrackedMessage.NoOrder()));
    }

    private static TrackingIngest.Item order(int index, String messageId, String orderId, String total, String user,
            String... skus) {
        List<io.siyu.event.OrderLine> lines = new ArrayList<>();
        for (String sku : skus) {
            lines.add(new io.siyu.event.OrderLine("p-" + sku, sku, "tea", sku, new java.math.BigDecimal(total), 1));
        }
        return new TrackingIngest.Item(index, new TrackedMessage("track", "Order Completed", messageId,
                List.of(IdentityInput.of("external_id", user)), null, CustomerTraits.NONE, AT, "{}", null,
                new TrackedMessage.Completed(new io.siyu.event.OrderFacts(orderId, new java.math.BigDecimal(total), null,
                        null, null, null, AT, lines))));
    }

    private static TrackingIngest.Item refund(int index, String messageId, String orderId, String amount, String user) {
        return new TrackingIngest.Item(index, new TrackedMessage("track", "Order Refunded", messageId,
                List.of(IdentityInput.of("external_id", user)), null, CustomerTraits.NONE, AT, "{}", null,
                new TrackedMessage.Refunded(orderId, new java.math.BigDecimal(amount))));
    }

    private static TrackingIngest.Call call(WriteKey key, TrackingIngest.Item... items) {
        return new TrackingIngest.Call(List.of(items), key, AT);
    }

    @Test
    void eachCallOfAGroupGetsItsOwnOutcomesAndARepeatedIdIsStoredOnce() throws Exception {
        WriteKey key = key();
        WriteKey other = key();
        String user = unique("u");
        String shared = unique("msg");
        var first = call(key, track(0, shared, "Shared", IdentityInput.of("external_id", user)),
                track(1, unique("msg"), "First", IdentityInput.of("external_id", user)));
        var second = call(key, track(0, unique("msg"), "Second", IdentityInput.of("external_id", user)),
                track(1, shared, "Shared", IdentityInput.of("external_id", user)));
        // the same message id under another write key is another message
        var third = call(other, track(0, shared, "Shared", IdentityInput.of("external_id", user)));

        ingest.storeGroup(List.of(first, second, third));

        for (var c : List.of(first, second, third)) {
            c.done.get();
        }
        assertThat(first.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED)
                .containsEntry(1, TrackingIngest.Outcome.STORED);
        assertThat(second.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED)
                .containsEntry(1, TrackingIngest.Outcome.DUPLICATE);
        assertThat(third.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED);
        assertThat(names(user)).containsExactlyInAnyOrder("Shared", "First", "Second", "Shared");

        // sent again later, alone: acknowledged as a duplicate, not stored
        var again = call(key, track(0, shared, "Shared", IdentityInput.of("external_id", user)));
        ingest.storeGroup(List.of(again));
        again.done.get();
        assertThat(again.outcomes).containsEntry(0, TrackingIngest.Outcome.DUPLICATE);
        assertThat(names(user)).hasSize(4);

        // a group mixing an id stored before with new ones: the first attempt, which expects only
        // new ids, fails on PostgreSQL and the next claims what is free; each new message is stored once
        var mixed = call(key, track(0, unique("msg"), "Fresh", IdentityInput.of("external_id", user)),
                track(1, shared, "Shared", IdentityInput.of("external_id", user)));
        var alongside = call(other, track(0, unique("msg"), "Alongside", IdentityInput.of("external_id", user)));
        ingest.storeGroup(List.of(mixed, alongside));
        mixed.done.get();
        alongside.done.get();
        assertThat(mixed.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED)
                .containsEntry(1, TrackingIngest.Outcome.DUPLICATE);
        assertThat(alongside.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED);
        assertThat(names(user)).containsExactlyInAnyOrder("Shared", "First", "Second", "Shared", "Fresh", "Alongside");
    }

    @Test
    void aMessageRefusedByResolutionIsReportedToItsOwnCallOnly() throws Exception {
        WriteKey key = key();
        String user = unique("u");
        var good = call(key, track(0, unique("msg"), "Kept", IdentityInput.of("external_id", user)));
        var refused = call(key, track(0, unique("msg"), "AlsoKept", IdentityInput.of("external_id", user)),
                track(1, unique("msg"), "Refused", IdentityInput.of("phone", "not-a-phone")));

        ingest.storeGroup(List.of(good, refused));

        good.done.get();
        refused.done.get();
        assertThat(good.rejected).isEmpty();
        assertThat(good.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED);
        assertThat(refused.outcomes).containsOnlyKeys(0);
        assertThat(refused.rejected).containsOnlyKeys(1);
        assertThat(refused.rejected.get(1).code()).isNotBlank();
        assertThat(names(user)).containsExactlyInAnyOrder("Kept", "AlsoKept");
    }

    @Test
    void aCallThatCannotBeStoredFailsAloneAndTheOthersOfItsGroupAreStored() {
        WriteKey key = key();
        String user = unique("u");
        var before = call(key, track(0, unique("msg"), "Before", IdentityInput.of("external_id", user)));
        // longer than the name column: the database refuses it (the HTTP path's checks would not let it through)
        var broken = call(key, track(0, unique("msg"), "x".repeat(300), IdentityInput.of("external_id", user)));
        var after = call(key, track(0, unique("msg"), "After", IdentityInput.of("external_id", user)));

        ingest.storeGroup(List.of(before, broken, after));

        assertThat(before.done).isCompleted();
        assertThat(after.done).isCompleted();
        assertThat(broken.done).isCompletedExceptionally();
        assertThat(before.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED);
        assertThat(after.outcomes).containsEntry(0, TrackingIngest.Outcome.STORED);
        assertThat(names(user)).containsExactlyInAnyOrder("Before", "After");
    }

    @Test
    void concurrentCallsThroughTheWritersAreEachStoredOnce() throws Exception {
        WriteKey key = key();
        String user = unique("u");
        List<Thread> threads = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(unique("msg"));
        }
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                // every thread sends every id: each must be stored exactly once
                List<TrackingIngest.Item> items = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    items.add(track(i, ids.get(i), "Concurrent", IdentityInput.of("external_id", user)));
                }
                try {
                    ingest.ingest(items, key, AT, new java.util.HashMap<>());
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(names(user)).hasSize(ids.size());
    }

    @Test
    void ordersOfOneGroupAreRecordedOnceEachAndARefundSeesTheOrderCompletedBeforeIt() throws Exception {
        WriteKey key = key();
        String user = unique("u");
        String repeated = unique("order");
        String refunded = unique("order");
        String known = unique("order");
        ingest.storeGroup(List.of(call(key, order(0, unique("msg"), known, "10", user, "K-1"))));

        var first = call(key, order(0, unique("msg"), repeated, "30", user, "A-1", "A-2"),
                order(1, unique("msg"), refunded, "50", user, "B-1"));
        // the same order again under another message id: the first stays, with its lines once
        var second = call(key, order(0, unique("msg"), repeated, "99", user, "A-9"),
                refund(1, unique("msg"), refunded, "20", user),
                order(2, unique("msg"), known, "77", user, "K-9"));
        ingest.storeGroup(List.of(first, second));
        first.done.get();
        second.done.get();

        var found = admin().get("/api/v1/customers/lookup?type=external_id&value=" + URLEncoder.encode(user, StandardCharsets.UTF_8));
        var orders = admin().get("/api/v1/customers/" + found.str("/id") + "/orders").body().get("items");
        assertThat(orders).hasSize(3);
        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        orders.forEach(o -> byId.put(o.get("orderId").asString(), o));
        assertThat(byId.get(repeated).get("total").decimalValue()).isEqualByComparingTo("30");
        assertThat(byId.get(repeated).get("products")).extracting(p -> p.get("sku").asString())
                .containsExactly("A-1", "A-2");
        assertThat(byId.get(refunded).get("status").asString()).isEqualTo("partially_refunded");
        assertThat(byId.get(refunded).get("refundedAmount").decimalValue()).isEqualByComparingTo("20");
        assertThat(byId.get(known).get("total").decimalValue()).isEqualByComparingTo("10");
        assertThat(byId.get(known).get("products")).extracting(p -> p.get("sku").asString()).containsExactly("K-1");
        // every message is an event, whether or not it recorded an order
        assertThat(names(user)).hasSize(6);
    }

    private List<String> names(String user) {
        var found = admin().get("/api/v1/customers/lookup?type=external_id&value="
                + URLEncoder.encode(user, StandardCharsets.UTF_8));
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        var res = admin().get("/api/v1/customers/" + found.str("/id") + "/events?limit=500");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode e : res.body().get("items")) {
            names.add(e.get("name").asString());
        }
        return names;
    }
}
