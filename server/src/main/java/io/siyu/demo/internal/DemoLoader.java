package io.siyu.demo.internal;

import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.Resolution;
import io.siyu.event.EventLog;
import io.siyu.event.EventProcessing;
import io.siyu.event.NewEvent;
import io.siyu.event.Tracking;
import io.siyu.security.WriteKey;
import io.siyu.security.WriteKeys;
import io.siyu.reach.Channel;
import io.siyu.reach.ChannelRelations;
import io.siyu.staff.StaffDirectory;
import io.siyu.wecom.WecomGroups;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads the demo brand on first start ({@code siyu.demo.enabled}, set by {@code ./siyu start}
 * unless {@code --no-demo}) into an empty database, through the same identity resolution that
 * real channels use, so merges and conflicts in the demo are real ones.
 */
@Component
@Order(10)
class DemoLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);
    /** The write key the demo's behaviour events and orders are sent under. */
    static final String WRITE_KEY = "demo";
    private static final int BATCH = 500;

    private final Customers customers;
    private final StaffDirectory staff;
    private final ChannelRelations relations;
    private final WecomGroups groups;
    private final EventLog eventLog;
    private final Tracking tracking;
    private final WriteKeys writeKeys;
    private final EventProcessing processing;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final boolean enabled;
    private final int size;
    private final long seed;

    DemoLoader(Customers customers, StaffDirectory staff, ChannelRelations relations, WecomGroups groups, EventLog eventLog, Tracking tracking, WriteKeys writeKeys,
            EventProcessing processing,
            TransactionTemplate tx, ObjectMapper json, Clock clock,
            @Value("${siyu.demo.enabled:false}") boolean enabled,
            @Value("${siyu.demo.customers:20000}") int size,
            @Value("${siyu.demo.seed:20261125}") long seed) {
        this.customers = customers;
        this.staff = staff;
        this.relations = relations;
        this.groups = groups;
        this.eventLog = eventLog;
        this.tracking = tracking;
        this.writeKeys = writeKeys;
        this.processing = processing;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.enabled = enabled;
        this.size = size;
        this.seed = seed;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) {
            return;
        }
        if (customers.hasCustomers()) {
            log.info("Demo data: the database already has customers; nothing loaded");
            return;
        }
        load();
    }

    /** Loads the demo brand and returns what happened. */
    DemoSummary load() {
        long started = System.nanoTime();
        log.info("Demo data: loading a mother-and-baby brand with {} people (seed {})...", size, seed);
        customers.ensureAttribute("babyStage", "string", "宝宝阶段", "Baby stage", "newest");
        customers.ensureAttribute("babyBirthday", "date", "宝宝生日", "Baby's birthday", "newest");
        customers.ensureAttribute("preferredStore", "string", "常去门店", "Preferred store", "newest");
        long[] staffIds = new long[DemoBrand.STAFF.length];
        for (int i = 0; i < staffIds.length; i++) {
            staffIds[i] = staff.add(DemoBrand.STAFF[i][0], DemoBrand.STAFF[i][1], "demo_staff_" + (i + 1));
        }
        OffsetDateTime end = DemoBrand.defaultEnd(clock);
        List<DemoBrand.Touch> touches = new DemoBrand(seed, size, end).touches();
        int created = 0;
        int merged = 0;
        int conflicts = 0;
        int done = 0;
        Map<Integer, DemoBrand.Touch> firstTouch = new LinkedHashMap<>();
        List<Map.Entry<Long, DemoBrand.Touch>> seen = new ArrayList<>();
        for (DemoBrand.Touch t : touches) {
            Resolution r = customers.identify(t.identities(), t.traits(), t.at());
            seen.add(Map.entry(r.customerId(), t));
            if (seen.size() == 1000) {
                appendTouches(seen, staffIds);
            }
            created += r.created() ? 1 : 0;
            merged += r.mergedCustomerIds().size();
            conflicts += r.conflicts().size();
            firstTouch.putIfAbsent(t.person(), t);
            if (t.staff() >= 0 && staff.ownerOf(r.customerId()).isEmpty()) {
                staff.assignOwner(r.customerId(), staffIds[t.staff()], t.at());
            }
            if (++done % 10000 == 0) {
                log.info("Demo data: {}/{} channel touches", done, touches.size());
            }
        }
        appendTouches(seen, staffIds);
        groups(touches, end);
        int[] activity = activity(firstTouch, end);
        processing.drain();
        DemoSummary summary = new DemoSummary(touches.size(), created, merged, conflicts, activity[0], activity[1],
                (System.nanoTime() - started) / 1_000_000);
        log.info("Demo data loaded: {} touches, {} customers created, {} merged away, {} identity conflicts for review, "
                + "{} behaviour events, {} orders, in {} ms", summary.touches(), summary.created(), summary.merged(),
                summary.conflicts(), summary.events(), summary.orders(), summary.millis());
        return summary;
    }

    /**
     * What WeCom's and the official account's callbacks would have reported for a touch: a WeCom touch
     * through a staff member is a friendship with them, an official-account touch a follow.
     */
    private void reach(long customerId, DemoBrand.Touch t, long[] staffIds) {
        for (IdentityInput id : t.identities()) {
            if (id.type().equals("wecom_external_userid") && t.staff() >= 0) {
                relations.add(customerId, Channel.WECOM_FRIEND, String.valueOf(staffIds[t.staff()]), t.at(), "demo");
            } else if (id.type().equals("wechat_openid") && DemoBrand.OFFICIAL_ACCOUNT.equals(id.appId())) {
                relations.add(customerId, Channel.OFFICIAL_ACCOUNT, DemoBrand.OFFICIAL_ACCOUNT, t.at(), "demo");
            }
        }
    }

    /**
     * Customer groups as WeCom would report them: each 社群运营 / 育儿顾问 runs one 宝妈交流群, and about
     * 40 % of the WeCom customers of a staff member joined it a few days after adding them.
     */
    private void groups(List<DemoBrand.Touch> touches, OffsetDateTime end) {
        Map<Integer, List<WecomGroups.Member>> byStaff = new LinkedHashMap<>();
        java.util.Set<String> seenExternal = new java.util.HashSet<>();
        for (DemoBrand.Touch t : touches) {
            if (t.staff() < 0) {
                continue;
            }
            for (IdentityInput id : t.identities()) {
                if (id.type().equals("wecom_external_userid") && seenExternal.add(id.value())
                        && Math.floorMod(id.value().hashCode(), 5) < 2) {
                    OffsetDateTime joined = t.at().plusDays(1 + Math.floorMod(id.value().hashCode(), 7));
                    byStaff.computeIfAbsent(t.staff(), s -> new ArrayList<>())
                            .add(new WecomGroups.Member(id.value(), null, joined.isAfter(end) ? end : joined));
                }
            }
        }
        byStaff.forEach((s, members) -> {
            if (!DemoBrand.STAFF[s][1].equals("门店导购") && !DemoBrand.STAFF[s][1].equals("客服")) {
                groups.record("wrDemoGroup" + (s + 1), DemoBrand.STAFF[s][0] + "的宝妈交流群", "demo_staff_" + (s + 1),
                        members.getFirst().joinedAt(), members);
            }
        });
    }

    /**
     * Each channel touch is an identify event on the customer's timeline (merged ids resolved first),
     * and its reach a channel relation; a thousand touches per transaction.
     */
    private void appendTouches(List<Map.Entry<Long, DemoBrand.Touch>> seen, long[] staffIds) {
        List<NewEvent> batch = new ArrayList<>(seen.size());
        List<Map.Entry<Long, DemoBrand.Touch>> resolved = new ArrayList<>(seen.size());
        for (Map.Entry<Long, DemoBrand.Touch> e : seen) {
            DemoBrand.Touch t = e.getValue();
            long customerId = customers.resolveId(e.getKey()).orElseThrow();
            resolved.add(Map.entry(customerId, t));
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("channel", t.traits().source() == null ? "bind" : t.traits().source());
            props.put("identityTypes", t.identities().stream().map(IdentityInput::type).toList());
            batch.add(new NewEvent(customerId, "identify", null, null, null, t.at(), t.at(), false,
                    json.writeValueAsString(props), null));
        }
        tx.executeWithoutResult(s -> {
            eventLog.append(batch);
            resolved.forEach(e -> reach(e.getKey(), e.getValue(), staffIds));
        });
        seen.clear();
    }

    /**
     * Twelve months of behaviour and orders for every person, sent as Segment messages through the
     * tracking service under the demo write key, as a brand's own server would send them to
     * {@code /v1/batch}: mapped, resolved by the identity they carry, deduplicated by message id, and
     * orders recorded from {@code Order Completed} / {@code Order Refunded}. Message ids derive from
     * the seed, so the demo is the same every time.
     */
    private int[] activity(Map<Integer, DemoBrand.Touch> firstTouch, OffsetDateTime end) {
        WriteKey key = writeKeys.inProcess(WRITE_KEY, "Demo data: behaviour events and orders, sent in-process");
        DemoActivity plans = new DemoActivity(seed, end);
        int events = 0;
        int orderCount = 0;
        ArrayNode batch = json.createArrayNode();
        for (Map.Entry<Integer, DemoBrand.Touch> e : firstTouch.entrySet()) {
            IdentityInput anyIdentity = e.getValue().identities().stream()
                    .filter(i -> !i.value().equals("undefined")).findFirst().orElseThrow();
            DemoActivity.Plan plan = plans.plan(e.getKey(), e.getValue().at());
            int n = 0;
            for (DemoActivity.PlannedEvent p : plan.events()) {
                String messageId = "demo-" + java.util.UUID.nameUUIDFromBytes(
                        (seed + ":" + e.getKey() + ":" + n++).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                batch.add(message(p, messageId, anyIdentity));
            }
            events += plan.events().size();
            orderCount += plan.orders().size();
            if (batch.size() >= BATCH) {
                send(key, batch);
                batch = json.createArrayNode();
            }
        }
        send(key, batch);
        return new int[] {events, orderCount};
    }

    private void send(WriteKey key, ArrayNode messages) {
        if (messages.isEmpty()) {
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.set("batch", messages);
        body.putObject("context").putObject("library").put("name", "siyu-demo");
        Tracking.BatchResult result = tracking.batch(key, body);
        if (!result.rejected().isEmpty()) {
            Tracking.Rejected first = result.rejected().getFirst();
            throw new IllegalStateException("demo message refused: " + messages.get(first.index()) + ": "
                    + first.problem().code());
        }
    }

    /** A planned event as a Segment message, carrying the identity the person's first touch showed. */
    private ObjectNode message(DemoActivity.PlannedEvent p, String messageId, IdentityInput identity) {
        ObjectNode m = json.createObjectNode();
        m.put("type", p.type());
        m.put("track".equals(p.type()) ? "event" : "name", p.name());
        m.put("messageId", messageId);
        m.put("timestamp", p.at().toString());
        m.set("properties", json.valueToTree(p.properties()));
        switch (identity.type()) {
            case "external_id" -> m.put("userId", identity.value());
            case "anonymous_id" -> m.put("anonymousId", identity.value());
            case "phone", "email" -> m.putObject("context").putObject("traits").put(identity.type(), identity.value());
            default -> {
                ObjectNode external = m.putObject("context").putArray("externalIds").addObject();
                external.put("id", identity.value()).put("type", identity.type()).put("encoding", "none");
                if (identity.appId() != null && !identity.appId().isEmpty()) {
                    external.put("appId", identity.appId());
                }
            }
        }
        return m;
    }

    record DemoSummary(int touches, int created, int merged, int conflicts, int events, int orders, long millis) {
    }
}
