package io.siyu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Concurrent Segment clients posting {@code /v1/batch} to a server on loopback, each on its own
 * thread and {@link TrackingWorkload}, bounded by a deadline and a total number of batches. They send
 * with Apache HttpClient's blocking client, in the client's own thread over kept-alive connections:
 * the JDK's client hands every exchange between threads and futures, and took about a tenth of the
 * benchmark JVM's CPU from the server it shares the cores with.
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

    /** A call's answer. */
    record Answer(int status, String body) {
    }

    private final String batchUri;
    private final String authorization;
    private final CloseableHttpClient http;

    TrackingClients(int port, String writeKey) {
        this.batchUri = "http://127.0.0.1:" + port + "/v1/batch";
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(256)
                        .setMaxConnPerRoute(256)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(5, TimeUnit.SECONDS)
                                .setSocketTimeout(60, TimeUnit.SECONDS).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(60, TimeUnit.SECONDS).build())
                // a failed call is the benchmark's to count (and the crash benchmark's to retry), never the client's
                .disableAutomaticRetries()
                .disableContentCompression()
                .build();
    }

    /** Posts one batch body; an answer of any status is returned, a failed exchange thrown. */
    Answer post(String body) throws IOException {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Posts one batch body, UTF-8 JSON; an answer of any status is returned, a failed exchange thrown. */
    Answer post(byte[] body) throws IOException {
        HttpPost post = new HttpPost(batchUri);
        post.setHeader("Authorization", authorization);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        return http.execute(post, response -> new Answer(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
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
                    byte[] body = workload.nextBatch(null);
                    long t0 = System.nanoTime();
                    try {
                        Answer response = post(body);
                        long micros = (System.nanoTime() - t0) / 1000;
                        if (response.status() != 200) {
                            failed.incrementAndGet();
                            if (failed.get() <= 3) {
                                System.err.println("batch answered " + response.status() + ": " + response.body());
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
