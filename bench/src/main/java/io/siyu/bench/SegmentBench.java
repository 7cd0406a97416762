package io.siyu.bench;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code ./siyu bench segments}: the segment engine and RFM at 1,000,000 customers, 20,000,000
 * events, 5,000,000 orders and 500 tags, against DuckDB on the same data in the same run. See
 * docs/benchmarks.md, "Segments and RFM".
 */
final class SegmentBench {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("db", "postgresql"),
            Map.entry("customers", "1000000"),
            Map.entry("events", "20000000"),
            Map.entry("orders", "5000000"),
            Map.entry("segments", "200"),
            Map.entry("runs", "20"),
            Map.entry("warmup", "5"),
            Map.entry("sql-runs", "3"),
            Map.entry("rfm-runs", "2"),
            Map.entry("rate", "2000"),
            Map.entry("clients", "2"),
            Map.entry("latency-seconds", "60"),
            Map.entry("duckdb-threads", "2"),
            Map.entry("duckdb-memory", "6GB"),
            Map.entry("seed", "20261125"),
            Map.entry("pg-host", "127.0.0.1"),
            Map.entry("pg-port", "5432"),
            Map.entry("pg-user", "postgres"),
            Map.entry("pg-password", ""),
            Map.entry("pg-database", "siyu_bench_segments"),
            Map.entry("h2-dir", "bench/target/bench-segments-h2"),
            Map.entry("data-dir", "bench/target/bench-segments-data"),
            Map.entry("export-dir", "bench/target/bench-segments-export"),
            Map.entry("only", "all"));
    static final java.util.Set<String> FLAGS = java.util.Set.of("fresh");

    static final ObjectMapper JSON = new ObjectMapper();

    /** One of the five timed rules: the rule JSON and the DuckDB SQL for the same count. */
    record TimedRule(String name, String rule, String duckSql) {
    }

    /** Median and p95 of a series, in milliseconds. */
    record Stats(double median, double p95, double min, double max) {
        static Stats of(double[] millis) {
            double[] s = millis.clone();
            Arrays.sort(s);
            return new Stats(rank(s, 50), rank(s, 95), s[0], s[s.length - 1]);
        }

        private static double rank(double[] sorted, double p) {
            int r = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
        }

        @Override
        public String toString() {
            return String.format("median %.1f ms, p95 %.1f ms (min %.1f, max %.1f)", median, p95, min, max);
        }
    }

    /** What a run measured, for the smoke test and the report. */
    record RuleResult(String name, int bitmapCount, int sqlCount, long duckCount, Stats previewServer,
            Stats previewClient, Stats countServer, Stats sqlServer, Stats duck) {
    }

    record Report(long engineLoadMillis, long engineBytes, long engineBytesWithSegments, int segmentsCreated,
            List<RuleResult> rules, double rfmSiyuSeconds, double rfmDuckSeconds, boolean rfmMatches,
            SegmentLatency.Result latency, List<String> mismatches) {
    }

    private SegmentBench() {
    }

    static Report run(Options o) throws Exception {
        if (!List.of("all", "rfm").contains(o.string("only"))) {
            throw new IllegalArgumentException("--only all|rfm, not " + o.string("only"));
        }
        boolean pg = "postgresql".equals(o.string("db"));
        BenchDatabase db = pg
                ? new BenchDatabase.Postgres(o.string("pg-host"), (int) o.number("pg-port"), o.string("pg-database"),
                        o.string("pg-user"), o.string("pg-password"))
                : new BenchDatabase.H2(Path.of(o.string("h2-dir")));
        SegmentData data = new SegmentData(pg, o.number("customers"), o.number("events"), o.number("orders"),
                o.number("seed"));
        Path dataDir = Path.of(o.string("data-dir"));
        System.out.printf("segments and RFM on %s: %,d customers, %,d events, %,d orders, %d tags%n", db.name(),
                data.customers, data.events, data.orders, data.tags());
        System.out.println("load average before: " + BenchServer.loadAverage());
        List<String> mismatches = new ArrayList<>();
        if (o.string("only").equals("rfm")) {
            return runRfmOnly(o, pg, db, data, dataDir, mismatches);
        }

        String password = o.flag("fresh") ? null : existingPassword(db, data);
        if (password == null) {
            System.out.println("loading the data set (database " + db.url() + ")");
            db.recreate();
            password = "bench-" + UUID.randomUUID();
            try (BenchServer loader = BenchServer.start(db, dataDir, password, "--siyu.segment.engine.enabled=false")) {
                data.load(loader, db, password);
            }
        } else {
            System.out.println("reusing the data set loaded earlier in " + db.url() + " (--fresh reloads it)");
            cleanUp(db, data);
        }

        long heapBefore = heapAfterGc();
        long t0 = System.nanoTime();
        try (BenchServer server = BenchServer.start(db, dataDir, password, "--siyu.segment.engine.full-reload=12h",
                // where each RFM run's time goes
                "--logging.level.io.siyu.layer.internal.RfmService=INFO",
                "--logging.level.io.siyu.segment.internal.EngineBuyers=DEBUG")) {
            double started = (System.nanoTime() - t0) / 1e9;
            server.useApiToken();
            MeterRegistry meters = server.context.getBean(MeterRegistry.class);
            while (gauge(meters, "siyu.segment.engine.loads") < 1) {
                Thread.sleep(200);
            }
            double ready = (System.nanoTime() - t0) / 1e9;
            long loadMillis = Math.round(gauge(meters, "siyu.segment.engine.load") * 1000);
            long customersLoaded = (long) gauge(meters, "siyu.segment.engine.customers");
            long bytes = (long) gauge(meters, "siyu.segment.engine.bytes");
            long heapLoaded = heapAfterGc();
            System.out.printf("%nserver started in %.1f s; engine loaded %,d customers in %.1f s (ready %.1f s after the "
                    + "start began); engine ≈ %,d MB; JVM heap after GC: %,d MB before the server, %,d MB with the "
                    + "engine loaded%n", started, customersLoaded, loadMillis / 1e3, ready, bytes / 1_000_000,
                    heapBefore / 1_000_000, heapLoaded / 1_000_000);

            ZoneId zone = ZoneId.of(server.context.getEnvironment().getProperty("siyu.time-zone", "Asia/Shanghai"));
            List<TimedRule> rules = rules(LocalDate.now(zone), zone);

            // ---- 200 dynamic segments: the five timed rules first, then a mix of shapes
            System.out.printf("%ncreating %d dynamic segments (each is evaluated fully and its members stored)%n",
                    o.number("segments"));
            Map<String, Long> ruleSegments = new LinkedHashMap<>();
            long t1 = System.nanoTime();
            long members = 0;
            double slowest = 0;
            SplittableRandom random = new SplittableRandom(o.number("seed"));
            int made = 0;
            for (int i = 0; i < o.number("segments"); i++) {
                String name = i < rules.size() ? "bench-rule-" + (i + 1) : String.format("bench-seg-%03d", i + 1);
                String rule = i < rules.size() ? rules.get(i).rule() : mixedRule(i, random);
                long s0 = System.nanoTime();
                HttpResponse<String> r = server.admin("POST", "/api/v1/segments", "{\"name\":\"" + name
                        + "\",\"kind\":\"dynamic\",\"rule\":{\"version\":1,\"rule\":" + rule + "}}");
                slowest = Math.max(slowest, (System.nanoTime() - s0) / 1e9);
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("creating " + name + " answered " + r.statusCode() + ": " + r.body());
                }
                JsonNode seg = JSON.readTree(r.body());
                members += seg.path("memberCount").asLong();
                if (i < rules.size()) {
                    ruleSegments.put(rules.get(i).name(), seg.path("id").asLong());
                }
                made++;
                if (made % 50 == 0) {
                    System.out.printf("  %d segments, %,d members stored (%.0f s)%n", made, members,
                            (System.nanoTime() - t1) / 1e9);
                }
            }
            double segSeconds = (System.nanoTime() - t1) / 1e9;
            long bytesWithSegments = (long) gauge(meters, "siyu.segment.engine.bytes");
            long heapSegments = heapAfterGc();
            System.out.printf("created %d segments in %.1f s (%.2f s each on average, slowest %.2f s), %,d members "
                    + "stored in all; engine ≈ %,d MB; JVM heap after GC %,d MB%n", made, segSeconds, segSeconds / made,
                    slowest, members, bytesWithSegments / 1_000_000, heapSegments / 1_000_000);

            // ---- the five rules: preview (bitmap), saved count (bitmap and sql)
            int runs = (int) o.number("runs");
            int warmup = (int) o.number("warmup");
            int sqlRuns = (int) o.number("sql-runs");
            List<RuleResult> results = new ArrayList<>();
            List<int[]> counts = new ArrayList<>();
            List<Stats[]> siyuStats = new ArrayList<>();
            System.out.printf("%nfive rules: POST /api/v1/segments/preview (sampleSize 0) %d warm-up + %d runs; GET "
                    + "/api/v1/segments/{id}/count?engine=bitmap %d runs, ?engine=sql %d runs%n", warmup, runs, runs, sqlRuns);
            for (TimedRule rule : rules) {
                String body = "{\"version\":1,\"rule\":" + rule.rule() + ",\"sampleSize\":0}";
                double[] server1 = new double[runs];
                double[] client1 = new double[runs];
                int bitmapCount = -1;
                for (int i = -warmup; i < runs; i++) {
                    long s0 = System.nanoTime();
                    HttpResponse<String> r = server.admin("POST", "/api/v1/segments/preview", body);
                    double wall = (System.nanoTime() - s0) / 1e6;
                    JsonNode p = JSON.readTree(r.body());
                    if (r.statusCode() != 200 || !"bitmap".equals(p.path("engine").asString())) {
                        throw new IllegalStateException("preview of " + rule.name() + ": " + r.statusCode() + " " + r.body());
                    }
                    bitmapCount = p.path("count").asInt();
                    if (i >= 0) {
                        server1[i] = p.path("tookMicros").asLong() / 1e3;
                        client1[i] = wall;
                    }
                }
                long id = ruleSegments.get(rule.name());
                double[] count1 = new double[runs];
                for (int i = -warmup; i < runs; i++) {
                    JsonNode c = JSON.readTree(server.admin("GET", "/api/v1/segments/" + id + "/count?engine=bitmap", null)
                            .body());
                    if (i >= 0) {
                        count1[i] = c.path("tookMicros").asLong() / 1e3;
                    }
                }
                double[] sql1 = new double[sqlRuns];
                int sqlCount = -1;
                for (int i = 0; i < sqlRuns; i++) {
                    JsonNode c = JSON.readTree(server.admin("GET", "/api/v1/segments/" + id + "/count?engine=sql", null)
                            .body());
                    sql1[i] = c.path("tookMicros").asLong() / 1e3;
                    sqlCount = c.path("count").asInt();
                }
                if (sqlCount != bitmapCount) {
                    mismatches.add(rule.name() + ": bitmap " + bitmapCount + " vs sql " + sqlCount);
                }
                Stats[] st = {Stats.of(server1), Stats.of(client1), Stats.of(count1), Stats.of(sql1)};
                System.out.printf("  %-22s count %,9d (sql %,9d)  preview server %s; client %s; saved count (bitmap) "
                        + "%s; sql %s%n", rule.name(), bitmapCount, sqlCount, st[0], st[1], st[2], st[3]);
                counts.add(new int[] {bitmapCount, sqlCount});
                siyuStats.add(st);
            }

            // ---- DuckDB on the same data
            Path exportDir = Path.of(o.string("export-dir"));
            DataSource ds = server.context.getBean(DataSource.class);
            double rfmSiyu;
            double rfmDuck;
            boolean rfmMatches;
            try (DuckReference duck = new DuckReference(pg, (int) o.number("duckdb-threads"), o.string("duckdb-memory"))) {
                System.out.printf("%nDuckDB %s: exporting customers, attributes, tags, daily counts and orders%n",
                        duck.version());
                duck.load(ds, exportDir);
                for (int k = 0; k < rules.size(); k++) {
                    TimedRule rule = rules.get(k);
                    long[] duckCount = new long[1];
                    double[] times = new double[runs];
                    for (int i = -warmup; i < runs; i++) {
                        long s0 = System.nanoTime();
                        duckCount[0] = duck.count(rule.duckSql());
                        if (i >= 0) {
                            times[i] = (System.nanoTime() - s0) / 1e6;
                        }
                    }
                    Stats d = Stats.of(times);
                    int[] c = counts.get(k);
                    if (duckCount[0] != c[0]) {
                        mismatches.add(rule.name() + ": bitmap " + c[0] + " vs DuckDB " + duckCount[0]);
                    }
                    Stats[] st = siyuStats.get(k);
                    results.add(new RuleResult(rule.name(), c[0], c[1], duckCount[0], st[0], st[1], st[2], st[3], d));
                    System.out.printf("  %-22s DuckDB count %,9d  %s   bitmap preview/DuckDB (medians, server time): "
                            + "%.2f; saved count/DuckDB: %.2f%n", rule.name(), duckCount[0], d,
                            st[0].median() / d.median(), st[2].median() / d.median());
                }

                // ---- RFM
                RfmResult rfm = rfm(server, duck, ds, o, mismatches);
                rfmSiyu = rfm.siyu();
                rfmDuck = rfm.duck();
                rfmMatches = rfm.matches();
            }

            // ---- event → Segment Entered
            SegmentLatency.Result latency = null;
            if (o.number("latency-seconds") > 0) {
                System.out.printf("%nevent → Segment Entered under steady ingest: %d events/s from %d clients for %d s%n",
                        o.number("rate"), o.number("clients"), o.number("latency-seconds"));
                latency = SegmentLatency.run(server, (int) o.number("rate"), (int) o.number("clients"),
                        (int) o.number("latency-seconds"));
                System.out.println("  " + latency);
            }
            System.out.println("\nload average after: " + BenchServer.loadAverage());
            if (!mismatches.isEmpty()) {
                System.out.println("MISMATCHES: " + mismatches);
            }
            return new Report(loadMillis, bytes, bytesWithSegments, made, results, rfmSiyu, rfmDuck, rfmMatches, latency,
                    mismatches);
        }
    }

    /** The RFM part: the Siyu job {@code rfm-runs} times, then DuckDB's same computation; distributions compared. */
    record RfmResult(double siyu, double duck, boolean matches) {
    }

    static RfmResult rfm(BenchServer server, DuckReference duck, DataSource ds, Options o, List<String> mismatches)
            throws Exception {
        System.out.printf("%nRFM recompute over the orders (window from /api/v1/rfm/settings)%n");
        double[] siyuRuns = new double[(int) o.number("rfm-runs")];
        JsonNode job = null;
        for (int i = 0; i < siyuRuns.length; i++) {
            long s0 = System.nanoTime();
            job = runJob(server, "/api/v1/rfm/recompute");
            siyuRuns[i] = (System.nanoTime() - s0) / 1e9;
            System.out.printf("  Siyu POST /api/v1/rfm/recompute → job: %.2f s (%s)%n", siyuRuns[i], job.path("result"));
        }
        double rfmSiyu = Arrays.stream(siyuRuns).min().orElse(0);
        DuckReference.Rfm r = duck.rfm(ds, (int) o.number("rfm-runs") + 3);
        if (!r.matches()) {
            mismatches.add("RFM: " + r.difference());
        }
        System.out.printf("  DuckDB same computation (CREATE TABLE ... window functions): best of %d %.2f s; "
                + "customers %,d; distributions %s%n  Siyu best / DuckDB best: %.2f (target ≤ 1.5)%n", r.runs(),
                r.seconds(), r.customers(), r.matches() ? "equal" : "DIFFER: " + r.difference(), rfmSiyu / r.seconds());
        return new RfmResult(rfmSiyu, r.seconds(), r.matches());
    }

    /**
     * {@code --only rfm}: just the RFM comparison, on the full data set when one of these sizes is loaded,
     * else on customers and orders only (loaded if missing; the full run reloads over it). The segment
     * engine is on, as RFM reads its orders, and loaded before the first run; nothing else runs beside
     * the job.
     */
    private static Report runRfmOnly(Options o, boolean pg, BenchDatabase db, SegmentData data, Path dataDir,
            List<String> mismatches) throws Exception {
        String password = null;
        if (!o.flag("fresh")) {
            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
                password = data.loadedPasswordForRfm(c);
            } catch (java.sql.SQLException e) {
                password = null;
            }
        }
        if (password == null) {
            System.out.println("loading customers and orders only (database " + db.url() + ")");
            db.recreate();
            password = "bench-" + UUID.randomUUID();
            try (BenchServer loader = BenchServer.start(db, dataDir, password, "--siyu.segment.engine.enabled=false")) {
                data.loadForRfm(loader, db, password);
            }
        } else {
            System.out.println("reusing the data set loaded earlier in " + db.url() + " (--fresh reloads it)");
        }
        // the engine on (RFM reads its in-memory orders), loaded before the runs
        try (BenchServer server = BenchServer.start(db, dataDir, password, "--siyu.segment.engine.full-reload=12h",
                // where each run's time goes
                "--logging.level.io.siyu.layer.internal.RfmService=INFO",
                "--logging.level.io.siyu.segment.internal.EngineBuyers=DEBUG")) {
            server.useApiToken();
            MeterRegistry meters = server.context.getBean(MeterRegistry.class);
            long t0 = System.nanoTime();
            while (gauge(meters, "siyu.segment.engine.loads") < 1) {
                Thread.sleep(200);
            }
            System.out.printf("engine loaded %,d customers (ready %.1f s after the server)%n",
                    (long) gauge(meters, "siyu.segment.engine.customers"), (System.nanoTime() - t0) / 1e9);
            DataSource ds = server.context.getBean(DataSource.class);
            RfmResult rfm;
            try (DuckReference duck = new DuckReference(pg, (int) o.number("duckdb-threads"), o.string("duckdb-memory"))) {
                System.out.printf("%nDuckDB %s: exporting the orders%n", duck.version());
                duck.load(ds, Path.of(o.string("export-dir")), List.of("orders"));
                rfm = rfm(server, duck, ds, o, mismatches);
            }
            System.out.println("\nload average after: " + BenchServer.loadAverage());
            if (!mismatches.isEmpty()) {
                System.out.println("MISMATCHES: " + mismatches);
            }
            return new Report(0, 0, 0, 0, List.of(), rfm.siyu(), rfm.duck(), rfm.matches(), null, mismatches);
        }
    }

    // ---- the rules

    static final String SYSTEM_EVENTS = "'Customers Merged', 'Tag Added', 'Tag Removed', 'Segment Entered', "
            + "'Segment Exited', 'Layer Changed'";

    /** The five timed rules with equivalent DuckDB SQL; {@code today} is the brand's calendar day. */
    static List<TimedRule> rules(LocalDate today, ZoneId zone) {
        long endOfToday = today.plusDays(1).atStartOfDay(zone).toEpochSecond();
        String active = "SELECT count(*) FROM customer c WHERE c.status = 'active'";
        return List.of(
                new TimedRule("attribute-only",
                        "{\"and\":[{\"attribute\":\"city\",\"op\":\"in\",\"values\":[\"上海\",\"杭州\",\"北京\"]},"
                                + "{\"attribute\":\"gender\",\"op\":\"eq\",\"value\":\"female\"},"
                                + "{\"attribute\":\"birthday\",\"op\":\"before\",\"value\":\"1995-01-01\"},"
                                + "{\"attribute\":\"member_level\",\"op\":\"in\",\"values\":[\"gold\",\"platinum\"]}]}",
                        active + " AND c.city IN ('上海', '杭州', '北京') AND c.gender = 'female' "
                                + "AND c.birthday < DATE '1995-01-01' AND c.member_level IN ('gold', 'platinum')"),
                new TimedRule("tag combination",
                        "{\"and\":[{\"tags\":[\"1\",\"2\"],\"op\":\"has_all\"},"
                                + "{\"tags\":[\"3\",\"7\",\"12\"],\"op\":\"has_any\"},"
                                + "{\"tags\":[\"5\"],\"op\":\"has_none\"}]}",
                        active + " AND c.id IN (SELECT customer_id FROM tags WHERE tag_id IN (1, 2) GROUP BY customer_id "
                                + "HAVING count(DISTINCT tag_id) = 2) "
                                + "AND c.id IN (SELECT customer_id FROM tags WHERE tag_id IN (3, 7, 12)) "
                                + "AND c.id NOT IN (SELECT customer_id FROM tags WHERE tag_id = 5)"),
                new TimedRule("event count 30 days",
                        "{\"event\":\"$interaction\",\"op\":\"count_gte\",\"value\":10,\"within\":{\"lastDays\":30}}",
                        active + " AND c.id IN (SELECT customer_id FROM daily WHERE bucket_day BETWEEN DATE '"
                                + today.minusDays(29) + "' AND DATE '" + today + "' AND event_name NOT IN ("
                                + SYSTEM_EVENTS + ") AND event_name NOT LIKE 'page:%' AND event_name NOT LIKE 'screen:%' "
                                + "GROUP BY customer_id HAVING sum(cnt) >= 10)"),
                new TimedRule("purchase total+recency",
                        "{\"and\":[{\"purchase\":\"total_spent\",\"op\":\"gte\",\"value\":2000,"
                                + "\"within\":{\"lastDays\":365}},"
                                + "{\"purchase\":\"days_since_last_order\",\"op\":\"lte\",\"value\":30}]}",
                        active + " AND c.id IN (SELECT customer_id FROM orders WHERE status <> 'refunded' "
                                + "GROUP BY customer_id HAVING coalesce(sum(total - refunded) FILTER (WHERE ts >= "
                                + today.minusDays(364).atStartOfDay(zone).toEpochSecond() + " AND ts < " + endOfToday
                                + "), 0) >= 2000 AND max(ts) >= " + today.minusDays(30).atStartOfDay(zone).toEpochSecond()
                                + ")"),
                new TimedRule("nested mix",
                        "{\"and\":[{\"or\":[{\"attribute\":\"city\",\"op\":\"in\",\"values\":[\"上海\",\"杭州\"]},"
                                + "{\"tags\":[\"3\"],\"op\":\"has\"}]},"
                                + "{\"event\":\"Checkout Started\",\"op\":\"performed\",\"within\":{\"lastDays\":90}},"
                                + "{\"not\":{\"purchase\":\"orders\",\"op\":\"gte\",\"value\":3,\"within\":{\"lastDays\":180}}},"
                                + "{\"attribute\":\"member_level\",\"op\":\"exists\"}]}",
                        active + " AND (c.city IN ('上海', '杭州') OR c.id IN (SELECT customer_id FROM tags WHERE tag_id = 3)) "
                                + "AND c.id IN (SELECT customer_id FROM daily WHERE event_name = 'Checkout Started' AND "
                                + "bucket_day BETWEEN DATE '" + today.minusDays(89) + "' AND DATE '" + today + "') "
                                + "AND c.id NOT IN (SELECT customer_id FROM orders WHERE status <> 'refunded' AND ts >= "
                                + today.minusDays(179).atStartOfDay(zone).toEpochSecond() + " AND ts < " + endOfToday
                                + " GROUP BY customer_id HAVING count(*) >= 3) AND c.member_level IS NOT NULL"));
    }

    /** The other segments: ten shapes in turn with random parameters. */
    static String mixedRule(int i, SplittableRandom r) {
        String city = SegmentData.CITIES[r.nextInt(SegmentData.CITIES.length)];
        String track = SegmentData.TRACKS[r.nextInt(SegmentData.TRACKS.length)];
        int tag = 1 + r.nextInt(500);
        int tag2 = 1 + r.nextInt(500);
        int days = new int[] {7, 14, 30, 60, 90}[r.nextInt(5)];
        return switch (i % 10) {
            case 0 -> "{\"and\":[{\"attribute\":\"city\",\"op\":\"eq\",\"value\":\"" + city + "\"},{\"attribute\":"
                    + "\"gender\",\"op\":\"eq\",\"value\":\"" + (r.nextBoolean() ? "female" : "male") + "\"}]}";
            case 1 -> "{\"tags\":[\"" + tag + "\",\"" + tag2 + "\"],\"op\":\"has_any\"}";
            case 2 -> "{\"and\":[{\"tags\":[\"" + (1 + r.nextInt(20)) + "\"],\"op\":\"has\"},{\"tags\":[\"" + tag
                    + "\"],\"op\":\"has\"}]}";
            case 3 -> "{\"event\":\"" + track + "\",\"op\":\"count_gte\",\"value\":" + (1 + r.nextInt(5))
                    + ",\"within\":{\"lastDays\":" + days + "}}";
            case 4 -> "{\"and\":[{\"purchase\":\"total_spent\",\"op\":\"gte\",\"value\":" + (500 + 500 * r.nextInt(8))
                    + ",\"within\":{\"lastDays\":365}},{\"purchase\":\"days_since_last_order\",\"op\":\"lte\",\"value\":"
                    + days + "}]}";
            case 5 -> "{\"purchase\":\"orders\",\"op\":\"gte\",\"value\":" + (3 + r.nextInt(8))
                    + ",\"within\":{\"lastDays\":180}}";
            case 6 -> "{\"bought\":\"category\",\"values\":[\"cat-" + r.nextInt(40) + "\"],\"within\":{\"lastDays\":"
                    + days + "}}";
            case 7 -> "{\"and\":[{\"or\":[{\"attribute\":\"city\",\"op\":\"eq\",\"value\":\"" + city + "\"},"
                    + "{\"tags\":[\"" + tag + "\"],\"op\":\"has\"}]},{\"event\":\"" + track + "\",\"op\":\"performed\","
                    + "\"within\":{\"lastDays\":" + days + "}},{\"not\":{\"purchase\":\"orders\",\"op\":\"gte\","
                    + "\"value\":2,\"within\":{\"lastDays\":180}}}]}";
            case 8 -> "{\"and\":[{\"attribute\":\"member_level\",\"op\":\"eq\",\"value\":\"gold\"},{\"attribute\":"
                    + "\"points\",\"op\":\"gte\",\"value\":" + (10000 * (1 + r.nextInt(4))) + "}]}";
            default -> "{\"and\":[{\"attribute\":\"birthday\",\"op\":\"anniversary_in_next_days\",\"days\":"
                    + (7 + r.nextInt(24)) + "},{\"not\":{\"bucket\":[0,9]}}]}";
        };
    }

    // ---- helpers

    /** Starts a job with a POST, polls it until it ends; returns the final job (throws unless it succeeded). */
    static JsonNode runJob(BenchServer server, String path) throws Exception {
        HttpResponse<String> r = server.admin("POST", path, null);
        if (r.statusCode() != 202) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        String id = JSON.readTree(r.body()).path("id").asString();
        while (true) {
            JsonNode job = JSON.readTree(server.admin("GET", "/api/v1/jobs/" + id, null).body());
            String status = job.path("status").asString();
            if (status.equals("succeeded")) {
                return job;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new IllegalStateException(path + ": job " + status + ": " + job);
            }
            Thread.sleep(10);
        }
    }

    private static double gauge(MeterRegistry meters, String name) {
        Gauge g = meters.find(name).gauge();
        return g == null ? 0 : g.value();
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The admin password of a loaded data set with this signature, or null when there is none. */
    private static String existingPassword(BenchDatabase db, SegmentData data) throws Exception {
        if (db instanceof BenchDatabase.H2 h2 && !Files.exists(h2.dir().resolve("siyu.mv.db"))) {
            return null;
        }
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            return data.loadedPassword(c);
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    /** Removes what an earlier run added to a reused data set: segments, and customers and events it ingested. */
    private static void cleanUp(BenchDatabase db, SegmentData data) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long c0 = data.customers;
            // PostgreSQL stores the daily counts as one row per customer-day with key and count arrays
            List<String> dailyCounts = data.pg ? List.of(
                    "DELETE FROM customer_day_count WHERE customer_id > " + c0
                            + " OR event_names <@ ARRAY[" + SYSTEM_EVENTS + "]::varchar[]",
                    "UPDATE customer_day_count d SET (event_names, counts) = (SELECT array_agg(u.n ORDER BY u.i), "
                            + "array_agg(u.k ORDER BY u.i) FROM unnest(d.event_names, d.counts) WITH ORDINALITY "
                            + "AS u(n, k, i) WHERE u.n NOT IN (" + SYSTEM_EVENTS + ")) "
                            + "WHERE d.event_names && ARRAY[" + SYSTEM_EVENTS + "]::varchar[]")
                    : List.of("DELETE FROM customer_daily_count WHERE customer_id > " + c0 + " OR event_name IN ("
                            + SYSTEM_EVENTS + ")");
            List<String> statements = new java.util.ArrayList<>(List.of("DELETE FROM segment_member",
                    "DELETE FROM segment", "DELETE FROM customer_event WHERE id > " + data.events));
            statements.addAll(dailyCounts);
            statements.addAll(List.of(
                    "DELETE FROM customer_aggregate WHERE customer_id > " + c0,
                    "DELETE FROM customer_identity WHERE customer_id > " + c0,
                    "DELETE FROM customer_attribute WHERE customer_id > " + c0,
                    "DELETE FROM customer_order WHERE customer_id > " + c0,
                    "DELETE FROM customer_rfm WHERE customer_id > " + c0,
                    "DELETE FROM customer WHERE id > " + c0,
                    // the log and its consumer back at E, where the load left them: otherwise they wait
                    // for the deleted offsets and the engine never catches up with the head
                    "UPDATE event_log_head SET last_offset = " + data.events + " WHERE id = 1",
                    "UPDATE event_consumer SET position = " + data.events + " WHERE name = 'customer-aggregates'"));
            for (String sql : statements) {
                s.execute(sql);
            }
            c.commit();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM customer")) {
                rs.next();
                System.out.printf("  cleaned up; %,d customers%n", rs.getLong(1));
            }
        }
    }
}
