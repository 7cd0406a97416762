package io.siyu.bench;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    private static final String[] TRACKS = {"Product Viewed", "Product Added", "Products Searched", "Checkout Started"};
    private static final AtomicLong PEOPLE = new AtomicLong();
    private static final AtomicLong ORDERS = new AtomicLong();

    private final SplittableRandom random;
    private final List<Person> known;
    private final double newRatio;
    private final int peoplePerBatch;
    private final int eventsPerBatch;
    private final String runId;

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
    }

    List<Person> known() {
        return known;
    }

    /** A batch body; the message ids of its messages are added to {@code messageIds} when not null. */
    String nextBatch(List<String> messageIds) {
        StringBuilder sb = new StringBuilder(eventsPerBatch * 420);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sb.append("{\"sentAt\":\"").append(now).append("\",\"context\":{\"library\":{\"name\":\"siyu-bench\",\"version\":\"1\"}},\"batch\":[");
        int left = eventsPerBatch;
        boolean first = true;
        for (int p = 0; p < peoplePerBatch && left > 0; p++) {
            int events = p == peoplePerBatch - 1 ? left : Math.min(left, eventsPerBatch / peoplePerBatch);
            left -= events;
            Person person = person();
            for (int e = 0; e < events; e++) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                String messageId = runId + "-" + UUID.randomUUID();
                if (messageIds != null) {
                    messageIds.add(messageId);
                }
                message(sb, person, e, events, messageId, now.minusNanos((events - e) * 7_000_000L));
            }
        }
        return sb.append("]}").toString();
    }

    private Person person() {
        if (known.isEmpty() || random.nextDouble() < newRatio) {
            long n = PEOPLE.incrementAndGet();
            Person p = new Person(runId + "-u" + n, UUID.randomUUID().toString(), n);
            known.add(p);
            newPeople++;
            return p;
        }
        knownPeople++;
        return known.get(random.nextInt(known.size()));
    }

    private void message(StringBuilder sb, Person p, int index, int events, String messageId, OffsetDateTime at) {
        sb.append("{\"messageId\":\"").append(messageId).append("\",\"timestamp\":\"").append(at)
                .append("\",\"userId\":\"").append(p.userId()).append("\",\"anonymousId\":\"").append(p.anonymousId())
                .append("\",\"context\":{\"ip\":\"10.1.").append(p.n() % 250).append('.').append(p.n() % 199)
                .append("\",\"userAgent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) MicroMessenger/8.0.47\",")
                .append("\"locale\":\"zh-CN\"},");
        if (index == 0) {
            identifies++;
            sb.append("\"type\":\"identify\",\"traits\":{\"name\":\"用户").append(p.n()).append("\",\"email\":\"u")
                    .append(p.n()).append("@bench.example.com\"");
            if (p.n() % 2 == 0) {
                sb.append(",\"phone\":\"138").append(String.format("%08d", p.n() % 100_000_000)).append('"');
            }
            sb.append(",\"plan\":\"member\"}}");
        } else if (index == events - 1 && random.nextDouble() < 0.3) {
            orders++;
            long order = ORDERS.incrementAndGet();
            int price = 20 + random.nextInt(480);
            int qty = 1 + random.nextInt(3);
            sb.append("\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"")
                    .append(runId).append("-o").append(order).append("\",\"total\":").append(price * qty)
                    .append(",\"revenue\":").append(price * qty).append(",\"currency\":\"CNY\",\"products\":[{\"product_id\":\"p")
                    .append(random.nextInt(500)).append("\",\"sku\":\"SKU-").append(random.nextInt(500))
                    .append("\",\"name\":\"商品\",\"price\":").append(price).append(",\"quantity\":").append(qty).append("}]}}");
        } else if (random.nextInt(9) < 5) {
            pages++;
            String page = PAGES[random.nextInt(PAGES.length)];
            sb.append("\"type\":\"page\",\"name\":\"").append(page).append("\",\"properties\":{\"path\":\"/")
                    .append(page.toLowerCase()).append("\",\"referrer\":\"https://servicewechat.com/\",\"title\":\"")
                    .append(page).append("\"}}");
        } else {
            tracks++;
            String event = TRACKS[random.nextInt(TRACKS.length)];
            sb.append("\"type\":\"track\",\"event\":\"").append(event).append("\",\"properties\":{\"product_id\":\"p")
                    .append(random.nextInt(500)).append("\",\"price\":").append(20 + random.nextInt(480))
                    .append(",\"category\":\"c").append(random.nextInt(20)).append("\"}}");
        }
    }

    /** Thread-safe list for people shared by the clients of one run. */
    static List<Person> sharedPeople() {
        return java.util.Collections.synchronizedList(new ArrayList<>());
    }
}
