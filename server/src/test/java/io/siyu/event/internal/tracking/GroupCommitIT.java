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
