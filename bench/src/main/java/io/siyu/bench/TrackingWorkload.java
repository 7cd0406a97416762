package io.siyu.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Segment batch bodies the way a server-side library sends them: each batch holds the events of a
 * few people, each person's events in a row (a session): one {@code identify} with traits (name,
 * email, for every other person a phone), then pages and tracks, and for some an
 * {@code Order Completed}. A person is new (never sent before) with probability {@code newRatio},
 * otherwise one of the people this workload has sent before. One instance per client thread.
 */
final class TrackingWorkload {

    /** A person as the sender knows them. */
    record Person(String userId, String anonymousId, long n) {
    }

    private static final String[] PAGES = {"Home", "Category", "Product", "Search", "Cart", "Campaign"};
    private static final String[] PATHS = java.util.Arrays.stream(PAGES).map(p -> p.toLowerCase(java.util.Locale.ROOT))
            .toArray(String[]::new);
    private static final byte[] USER = JsonBytes.utf8("用户");
    private static final byte[] GOODS = JsonBytes.utf8("商品");
    private static final String[] TRACKS = {"Product Viewed", "Product Added", "Products Searched", "Checkout Started"};
    private static final AtomicLong PEOPLE = new AtomicLong();
    private static final AtomicLong ORDERS = new AtomicLong();

    private final SplittableRandom random;
    private final List<Person> known;
    private final double newRatio;
    private final int peoplePerBatch;
    private final int eventsPerBatch;
    private final String runId;
    private final JsonBytes body;
    private long cachedDay = Long.MIN_VALUE;
    private byte[] cachedDate;

    /** Counts of what the bodies built so far contain. */
    long identifies;
    long pages;
    long tracks;
    long orders;
    long newPeople;
    long knownPeople;

    TrackingWorkload(long seed, List<Person> known, double newRatio, int eventsPerBatch, int peoplePerBatch,
            String runId) {
        this.random = new SplittableRandom(seed);
        this.known = known;
        this.newRatio = newRatio;
        this.eventsPerBatch = eventsPerBatch;
        this.peoplePerBatch = peoplePerBatch;
        this.runId = runId;
        this.body = new JsonBytes(eventsPerBatch * 420);
    }

    List<Person> known() {
        return known;
    }

    /**
     * A batch body as UTF-8 JSON; the message ids of its messages are added to {@code messageIds} when
     * not null. Message ids are random version-4 UUIDs, as Segment's libraries make them, drawn from
     * this workload's generator rather than {@link UUID#randomUUID()}: the clients share the cores with
     * the server, and the secure generator's shared lock and system calls were a tenth of their time.
     */
    byte[] nextBatch(List<String> messageIds) {
        JsonBytes b = body.reset();
        long now = System.currentTimeMillis();
        b.ascii("{\"sentAt\":\"");
        timestamp(b, now);
        b.ascii("\",\"context\":{\"library\":{\"name\":\"siyu-bench\",\"version\":\"1\"}},\"batch\":[");
        int left = eventsPerBatch;
        boolean first = true;
        for (int p = 0; p < peoplePerBatch && left > 0; p++) {
            int events = p == peoplePerBatch - 1 ? left : Math.min(left, eventsPerBatch / peoplePerBatch);
            left -= events;
            Person person = person();
            for (int e = 0; e < events; e++) {
                if (!first) {
                    b.ch(',');
                }
                first = false;
                message(b, person, e, events, now - (events - e) * 7L, messageIds);
            }
        }
        return b.ch(']').ch('}').toByteArray();
    }

    private Person person() {
        if (known.isEmpty() || random.nextDouble() < newRatio) {
            long n = PEOPLE.incrementAndGet();
            Person p = new Person(runId + "-u" + n, uuid(new JsonBytes(36)).toString(), n);
            known.add(p);
            newPeople++;
            return p;
        }
        knownPeople++;
        return known.get(random.nextInt(known.size()));
    }

    /** A random version-4 UUID in its canonical form. */
    private JsonBytes uuid(JsonBytes b) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return b.hex(msb >>> 32, 8).ch('-').hex(msb >>> 16, 4).ch('-').hex(msb, 4).ch('-').hex(lsb >>> 48, 4)
                .ch('-').hex(lsb, 12);
    }

    /** An instant in ISO 8601 with milliseconds in UTC, as Segment's libraries write timestamps. */
    private void timestamp(JsonBytes b, long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = JsonBytes.utf8(LocalDate.ofEpochDay(day) + "T");
        }
        long ms = Math.floorMod(epochMillis, 86_400_000L);
        b.raw(cachedDate).digits(ms / 3_600_000, 2).ch(':').digits(ms / 60_000 % 60, 2).ch(':')
                .digits(ms / 1000 % 60, 2).ch('.').digits(ms % 1000, 3).ch('Z');
    }

    private void message(JsonBytes b, Person p, int index, int events, long at, List<String> messageIds) {
        int idStart = b.ascii("{\"messageId\":\"").length();
        uuid(b.ascii(runId).ch('-'));
        if (messageIds != null) {
            messageIds.add(b.textFrom(idStart));
        }
        b.ascii("\",\"timestamp\":\"");
        timestamp(b, at);
        b.ascii("\",\"userId\":\"").ascii(p.userId()).ascii("\",\"anonymousId\":\"").ascii(p.anonymousId())
                .ascii("\",\"context\":{\"ip\":\"10.1.").number(p.n() % 250).ch('.').number(p.n() % 199)
                .ascii("\",\"userAgent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) MicroMessenger/8.0.47\",")
                .ascii("\"locale\":\"zh-CN\"},");
        if (index == 0) {
            identifies++;
            b.ascii("\"type\":\"identify\",\"traits\":{\"name\":\"").raw(USER).number(p.n()).ascii("\",\"email\":\"u")
                    .number(p.n()).ascii("@bench.example.com\"");
            if (p.n() % 2 == 0) {
                b.ascii(",\"phone\":\"138").digits(p.n() % 100_000_000, 8).ch('"');
            }
            b.ascii(",\"plan\":\"member\"}}");
        } else if (index == events - 1 && random.nextDouble() < 0.3) {
            orders++;
            long order = ORDERS.incrementAndGet();
            int price = 20 + random.nextInt(480);
            int qty = 1 + random.nextInt(3);
            b.ascii("\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"")
                    .ascii(runId).ascii("-o").number(order).ascii("\",\"total\":").number(price * qty)
                    .ascii(",\"revenue\":").number(price * qty).ascii(",\"currency\":\"CNY\",\"products\":[{\"product_id\":\"p")
                    .number(random.nextInt(500)).ascii("\",\"sku\":\"SKU-").number(random.nextInt(500))
                    .ascii("\",\"name\":\"").raw(GOODS).ascii("\",\"price\":").number(price).ascii(",\"quantity\":")
                    .number(qty).ascii("}]}}");
        } else if (random.nextInt(9) < 5) {
            pages++;
            int page = random.nextInt(PAGES.length);
            b.ascii("\"type\":\"page\",\"name\":\"").ascii(PAGES[page]).ascii("\",\"properties\":{\"path\":\"/")
                    .ascii(PATHS[page]).ascii("\",\"referrer\":\"https://servicewechat.com/\",\"title\":\"")
                    .ascii(PAGES[page]).ascii("\"}}");
        } else {
            tracks++;
            String event = TRACKS[random.nextInt(TRACKS.length)];
            b.ascii("\"type\":\"track\",\"event\":\"").ascii(event).ascii("\",\"properties\":{\"product_id\":\"p")
                    .number(random.nextInt(500)).ascii("\",\"price\":").number(20 + random.nextInt(480))
                    .ascii(",\"category\":\"c").number(random.nextInt(20)).ascii("\"}}");
        }
    }

    /** Thread-safe list for people shared by the clients of one run. */
    static List<Person> sharedPeople() {
        return java.util.Collections.synchronizedList(new ArrayList<>());
    }
}
