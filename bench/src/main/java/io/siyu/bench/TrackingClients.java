package io.siyu.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent Segment clients posting {@code /v1/batch} to a server on loopback, each on its own
 * thread and {@link TrackingWorkload}, bounded by a deadline and a total number of batches.
 */
final class TrackingClients {

    /** What one run of the clients saw. */
    record Result(int clients, long batches, long events, long rejected, long failed, double seconds,
            long[] latencyMicros, long identifies, long pages, long tracks, long orders, long newPeople,
            long knownPeople) {

        double eventsPerSecond() {
            return events / seconds;
        }

        double percentileMillis(double p) {
            if (latencyMicros.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * latencyMicros.length);
            return latencyMicros[Math.max(0, Math.min(latencyMicros.length - 1, rank - 1))] / 1000.0;
        }
    }

    private final URI batchUri;
    private final String authorization;
    private final HttpClient http;

    TrackingClients(int port, String writeKey) {
        this.batchUri = URI.create("http://127.0.0.1:" + port + "/v1/batch");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(batchUri).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Runs {@code clients} threads until {@code seconds} have passed or {@code maxBatches} batches
     * were answered in total. A batch that is not answered 200 counts as failed and is not retried.
     */
    Result run(List<TrackingWorkload> workloads, int eventsPerBatch, double seconds, long maxBatches)
            throws InterruptedException {
        int clients = workloads.size();
        AtomicLong started = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[clients];
        long begin = System.nanoTime();
        long deadline = begin + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[(int) Math.min(maxBatches, 2_000_000)];
            latencies.add(mine);
            int client = c;
            TrackingWorkload workload = workloads.get(c);
            threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                while (System.nanoTime() < deadline && started.incrementAndGet() <= maxBatches) {
                    String body = workload.nextBatch(null);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = post(body);
                        long micros = (System.nanoTime() - t0) / 1000;
                        if (response.statusCode() != 200) {
                            failed.incrementAndGet();
                            if (failed.get() <= 3) {
                                System.err.println("batch answered " + response.statusCode() + ": " + response.body());
                            }
                            continue;
                        }
                        rejected.addAndGet(countRejected(response.body()));
                        mine[counts[client]++] = micros;
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        if (failed.get() <= 3) {
                            System.err.println("batch failed: " + e);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        long identifies = 0, pages = 0, tracks = 0, orders = 0, newPeople = 0, knownPeople = 0;
        for (TrackingWorkload w : workloads) {
            identifies += w.identifies;
            pages += w.pages;
            tracks += w.tracks;
            orders += w.orders;
            newPeople += w.newPeople;
            knownPeople += w.knownPeople;
        }
        return new Result(clients, total, (long) total * eventsPerBatch - rejected.get(), rejected.get(), failed.get(),
                elapsed, all, identifies, pages, tracks, orders, newPeople, knownPeople);
    }

    /** The number of entries under "rejected" in a batch answer (each has an "index"). */
    static int countRejected(String body) {
        int n = 0;
        for (int i = body.indexOf("\"index\""); i >= 0; i = body.indexOf("\"index\"", i + 1)) {
            n++;
        }
        return n;
    }
}
