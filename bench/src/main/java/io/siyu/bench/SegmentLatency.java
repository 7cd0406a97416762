package io.siyu.bench;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Event → {@code Segment Entered} latency under steady ingest. A dynamic segment "performed Coupon
 * Claimed in the last 1 day" is created; {@code clients} threads send {@code /v1/batch} bodies of 100
 * events (10 new people × 10 events, pages and tracks) at a fixed total rate, and for every fourth
 * person the last event is {@code Coupon Claimed}, which makes that customer enter the segment. A
 * reader follows the log ({@code GET /api/v1/events?after=}, admin): it maps each sent
 * {@code Coupon Claimed} message to its customer, and when that customer's {@code Segment Entered}
 * (with the segment's id) appears, the latency is the time since the client started sending the batch.
 */
final class SegmentLatency {

    private static final String TRIGGER = "Coupon Claimed";
    private static final int EVENTS_PER_BATCH = 100;
    private static final int PEOPLE_PER_BATCH = 10;

    record Result(long events, double seconds, long failedBatches, long triggers, int measured, double p50, double p95,
            double p99, double max) {

        double eventsPerSecond() {
            return events / seconds;
        }

        @Override
        public String toString() {
            return String.format("%,d events in %.1f s = %.0f events/s, failed batches %d; %,d entering events, %,d "
                    + "Segment Entered seen (missing %d): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms", events,
                    seconds, eventsPerSecond(), failedBatches, triggers, measured, triggers - measured, p50, p95, p99, max);
        }
    }

    private SegmentLatency() {
    }

    static Result run(BenchServer server, int rate, int clients, int seconds) throws Exception {
        String run = "lat" + Long.toHexString(System.nanoTime());
        HttpResponse<String> created = server.admin("POST", "/api/v1/segments", "{\"name\":\"bench-latency-" + run
                + "\",\"kind\":\"dynamic\",\"rule\":{\"version\":1,\"rule\":{\"event\":\"" + TRIGGER
                + "\",\"op\":\"performed\",\"within\":{\"lastDays\":1}}}}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("latency segment: " + created.statusCode() + " " + created.body());
        }
        String segmentId = SegmentBench.JSON.readTree(created.body()).path("id").asString();
        TrackingClients tracking = new TrackingClients(server.port, server.createWriteKey("bench-" + run));
        long head = SegmentBench.JSON.readTree(server.admin("GET", "/api/v1/events?after=0&limit=1", null).body())
                .path("headOffset").asLong();

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> customerSentAt = new ConcurrentHashMap<>();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong triggers = new AtomicLong();
        AtomicLong events = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        StopFlag stop = new StopFlag();

        Thread reader = Thread.ofPlatform().name("latency-reader").start(() -> {
            long after = head;
            while (!stop.readerDone) {
                try {
                    HttpResponse<String> r = server.admin("GET", "/api/v1/events?after=" + after + "&limit=500", null);
                    long seen = System.nanoTime();
                    JsonNode page = SegmentBench.JSON.readTree(r.body());
                    JsonNode items = page.path("items");
                    for (JsonNode e : items) {
                        String name = e.path("name").asString();
                        String customer = e.path("customerId").asString();
                        if (TRIGGER.equals(name)) {
                            Long sent = sentAt.remove(e.path("messageId").asString());
                            if (sent != null) {
                                customerSentAt.put(customer, sent);
                            }
                        } else if ("Segment Entered".equals(name)
                                && segmentId.equals(e.path("properties").path("segmentId").asString())) {
                            Long sent = customerSentAt.remove(customer);
                            if (sent != null) {
                                latencies.add((seen - sent) / 1e6);
                            }
                        }
                    }
                    after = page.path("lastOffset").asLong();
                    if (items.size() < 500) {
                        Thread.sleep(5);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("  reader: " + e);
                }
            }
        });

        long periodNanos = (long) (1e9 * EVENTS_PER_BATCH * clients / rate);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> senders = new ArrayList<>();
        AtomicLong people = new AtomicLong();
        for (int k = 0; k < clients; k++) {
            long offset = periodNanos * k / clients;
            senders.add(Thread.ofPlatform().name("latency-client-" + k).start(() -> {
                long next = start + offset;
                while (true) {
                    long now = System.nanoTime();
                    if (next >= end) {
                        return;
                    }
                    if (now < next) {
                        try {
                            Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    next += periodNanos;
                    List<String> triggerIds = new ArrayList<>();
                    String body = batch(run, people, triggerIds);
                    long sent = System.nanoTime();
                    triggerIds.forEach(id -> sentAt.put(id, sent));
                    try {
                        TrackingClients.Answer r = tracking.post(body);
                        if (r.status() == 200) {
                            events.addAndGet(EVENTS_PER_BATCH);
                            triggers.addAndGet(triggerIds.size());
                        } else {
                            failed.incrementAndGet();
                            triggerIds.forEach(sentAt::remove);
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        triggerIds.forEach(sentAt::remove);
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (latencies.size() < triggers.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        stop.readerDone = true;
        reader.join(5000);
        double[] l;
        synchronized (latencies) {
            l = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        }
        Arrays.sort(l);
        return new Result(events.get(), took, failed.get(), triggers.get(), l.length, rank(l, 50), rank(l, 95),
                rank(l, 99), l.length == 0 ? Double.NaN : l[l.length - 1]);
    }

    private static final class StopFlag {
        volatile boolean readerDone;
    }

    private static double rank(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }

    /** 10 new people × 10 events; every fourth person's last event is the trigger. */
    private static String batch(String run, AtomicLong people, List<String> triggerIds) {
        StringBuilder sb = new StringBuilder(EVENTS_PER_BATCH * 220);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sb.append("{\"sentAt\":\"").append(now).append("\",\"batch\":[");
        for (int p = 0; p < PEOPLE_PER_BATCH; p++) {
            long n = people.incrementAndGet();
            String user = run + "-u" + n;
            int events = EVENTS_PER_BATCH / PEOPLE_PER_BATCH;
            for (int e = 0; e < events; e++) {
                if (p > 0 || e > 0) {
                    sb.append(',');
                }
                String id = run + "-" + UUID.randomUUID();
                sb.append("{\"messageId\":\"").append(id).append("\",\"timestamp\":\"")
                        .append(now.minusNanos((events - e) * 5_000_000L)).append("\",\"userId\":\"").append(user)
                        .append("\",");
                if (e == events - 1 && n % 4 == 0) {
                    triggerIds.add(id);
                    sb.append("\"type\":\"track\",\"event\":\"").append(TRIGGER)
                            .append("\",\"properties\":{\"coupon\":\"WELCOME10\"}}");
                } else if (e % 2 == 0) {
                    sb.append("\"type\":\"page\",\"name\":\"Product\",\"properties\":{\"path\":\"/p/")
                            .append(n % 500).append("\"}}");
                } else {
                    sb.append("\"type\":\"track\",\"event\":\"Product Viewed\",\"properties\":{\"product_id\":\"p")
                            .append(n % 500).append("\"}}");
                }
            }
        }
        return sb.append("]}").toString();
    }
}
