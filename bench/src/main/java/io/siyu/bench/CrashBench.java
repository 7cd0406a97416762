package io.siyu.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./siyu bench crash}: the server runs as its own OS process ({@code java -jar
 * server/target/siyu-server-exec.jar}) on a fixed loopback port. Clients send batches with unique
 * message ids and retry each batch until it is acknowledged (HTTP 200); meanwhile the server is
 * killed with SIGKILL several times and restarted. When every batch is acknowledged, the database
 * is checked directly: every acknowledged message id is stored exactly once, and no message id is
 * stored twice (retries of batches whose first attempt had committed included).
 */
final class CrashBench {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("db", "postgresql"),
            Map.entry("clients", "4"),
            Map.entry("batch", "100"),
            Map.entry("batches-per-client", "150"),
            Map.entry("kills", "3"),
            Map.entry("port", "18437"),
            Map.entry("jar", "server/target/siyu-server-exec.jar"),
            Map.entry("seed", "7"),
            Map.entry("pg-host", "127.0.0.1"),
            Map.entry("pg-port", "5432"),
            Map.entry("pg-user", "postgres"),
            Map.entry("pg-password", ""),
            Map.entry("pg-database", "siyu_bench_crash"),
            Map.entry("h2-dir", "bench/target/bench-crash-h2"),
            Map.entry("h2-url-suffix", ""),
            Map.entry("data-dir", "bench/target/bench-crash-data"));

    private CrashBench() {
    }

    static boolean run(Options o) throws Exception {
        BenchDatabase db = "postgresql".equals(o.string("db"))
                ? new BenchDatabase.Postgres(o.string("pg-host"), (int) o.number("pg-port"), o.string("pg-database"),
                        o.string("pg-user"), o.string("pg-password"))
                : new BenchDatabase.H2(Path.of(o.string("h2-dir")));
        String url = db.url() + (db instanceof BenchDatabase.H2 ? o.string("h2-url-suffix") : "");
        int port = (int) o.number("port");
        int clients = (int) o.number("clients");
        int batch = (int) o.number("batch");
        int perClient = (int) o.number("batches-per-client");
        int kills = (int) o.number("kills");
        System.out.printf("crash test on %s: %d clients x %d batches of %d events, %d SIGKILLs, port %d%n", db.name(),
                clients, perClient, batch, kills, port);
        System.out.println("load average before: " + BenchServer.loadAverage());
        db.recreate();
        System.out.println("database: " + url);
        ServerProcess server = new ServerProcess(Path.of(o.string("jar")), db, url, Path.of(o.string("data-dir")), port);
        server.start();
        HttpClient admin = HttpClient.newHttpClient();
        HttpResponse<String> created = BenchServer.admin(admin, port, "POST", "/api/v1/write-keys",
                "{\"name\":\"bench-crash\",\"description\":\"crash test\"}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("write key: " + created.statusCode() + " " + created.body());
        }
        String key = BenchServer.field(created.body(), "key");
        TrackingClients http = new TrackingClients(port, key);
        String runId = "crash" + Long.toString(System.currentTimeMillis(), 36);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong attempts = new AtomicLong();
        AtomicLong retriedBatches = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        List<TrackingWorkload.Person> people = TrackingWorkload.sharedPeople();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            TrackingWorkload workload = new TrackingWorkload(o.number("seed") + c, people, 0.2, batch, 10, runId);
            threads.add(Thread.ofPlatform().name("crash-client-" + c).start(() -> {
                for (int b = 0; b < perClient; b++) {
                    List<String> ids = new ArrayList<>(batch);
                    byte[] body = workload.nextBatch(ids);
                    int tries = 0;
                    while (System.nanoTime() < deadline) {
                        tries++;
                        attempts.incrementAndGet();
                        try {
                            TrackingClients.Answer r = http.post(body);
                            if (r.status() == 200) {
                                int n = TrackingClients.countRejected(r.body());
                                if (n > 0) {
                                    // not expected: the bodies are valid; counted and reported as a failure
                                    rejected.addAndGet(n);
                                } else {
                                    acknowledged.addAll(ids);
                                }
                                break;
                            }
                        } catch (IOException e) {
                            // the server is down or went down mid-request: send the same batch again
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (tries > 1) {
                        retriedBatches.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            }));
        }
        SplittableRandom random = new SplittableRandom(o.number("seed"));
        long total = (long) clients * perClient;
        int killed = 0;
        for (int k = 0; k < kills; k++) {
            Thread.sleep(2000 + random.nextInt(4000));
            if (done.get() >= total) {
                break;
            }
            long acked = acknowledged.size();
            server.kill();
            killed++;
            System.out.printf("kill -9 #%d after %,d batches answered (%,d events acknowledged); restarting%n", killed,
                    done.get(), acked);
            double startup = server.start();
            System.out.printf("  restarted in %.1f s%n", startup);
        }
        for (Thread t : threads) {
            t.join();
        }
        server.stop();
        System.out.printf("clients done: %,d batches, %,d HTTP attempts, %,d batches needed a retry, %,d events acknowledged%n",
                done.get(), attempts.get(), retriedBatches.get(), acknowledged.size());

        Map<String, Integer> stored = new HashMap<>();
        long dedupe;
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
                PreparedStatement p = c.prepareStatement("select message_id, count(*) from customer_event "
                        + "where message_id like ? group by message_id");
                PreparedStatement d = c.prepareStatement("select count(*) from event_claim where source_key = "
                        + "(select id from write_key where name = 'bench-crash')")) {
            p.setString(1, runId + "-%");
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = d.executeQuery()) {
                rs.next();
                dedupe = rs.getLong(1);
            }
        }
        long missing = acknowledged.stream().filter(id -> !stored.containsKey(id)).count();
        long duplicated = stored.values().stream().filter(n -> n > 1).count();
        long unacknowledged = stored.keySet().stream().filter(id -> !acknowledged.contains(id)).count();
        boolean complete = acknowledged.size() == total * batch;
        System.out.printf("result: %d kills; acknowledged %,d of %,d events; stored %,d distinct message ids; "
                        + "acknowledged but missing %,d; stored more than once %,d; stored but never acknowledged %,d; "
                        + "dedupe ledger rows %,d; rejected %,d%n", killed, acknowledged.size(), total * batch,
                stored.size(), missing, duplicated, unacknowledged, dedupe, rejected.get());
        System.out.println("load average after: " + BenchServer.loadAverage());
        boolean ok = complete && missing == 0 && duplicated == 0 && rejected.get() == 0 && killed > 0;
        System.out.println(ok ? "PASS: every acknowledged event is stored exactly once" : "FAIL");
        return ok;
    }

    /** The server as a child process with its output in a log file. */
    static final class ServerProcess {
        private final Path jar;
        private final BenchDatabase db;
        private final String url;
        private final Path dataDir;
        private final int port;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private Process process;
        private int starts;

        ServerProcess(Path jar, BenchDatabase db, String url, Path dataDir, int port) {
            this.jar = jar;
            this.db = db;
            this.url = url;
            this.dataDir = dataDir;
            this.port = port;
        }

        /** Starts the server and waits until it answers; returns the seconds it took. */
        double start() throws IOException, InterruptedException {
            Files.createDirectories(dataDir);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = Path.of("bench/target/crash-server-" + (++starts) + ".log");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-jar", jar.toString(),
                    "--server.port=" + port, "--server.address=127.0.0.1",
                    "--spring.datasource.url=" + url, "--spring.datasource.username=" + db.user(),
                    "--spring.datasource.password=" + db.password(), "--siyu.data-dir=" + dataDir.toAbsolutePath(),
                    "--siyu.demo.enabled=false", "--siyu.security.admin-password=" + BenchServer.ADMIN_PASSWORD)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            process = pb.start();
            long deadline = t0 + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return (System.nanoTime() - t0) / 1e9;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException("server did not start within 180 s; see " + log);
        }

        /** SIGKILL: no shutdown hook, no graceful shutdown, no connection pool close. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

}
