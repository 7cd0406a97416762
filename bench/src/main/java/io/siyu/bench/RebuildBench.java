package io.siyu.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code ./siyu bench rebuild}: times {@code POST /api/v1/customer-aggregates/rebuild} over an event
 * log of N events. The events are bulk-loaded with set-based SQL (generate_series on PostgreSQL,
 * SYSTEM_RANGE on H2) across the last twelve months and M customers, already sequenced (offset = id),
 * with the aggregates consumer's position at the head so that the running server leaves them alone.
 */
final class RebuildBench {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("db", "postgresql"),
            Map.entry("events", "20000000"),
            Map.entry("customers", "1000000"),
            Map.entry("chunk", "2000000"),
            Map.entry("pg-host", "127.0.0.1"),
            Map.entry("pg-port", "5432"),
            Map.entry("pg-user", "postgres"),
            Map.entry("pg-password", ""),
            Map.entry("pg-database", "siyu_bench_rebuild"),
            Map.entry("h2-dir", "bench/target/bench-rebuild-h2"),
            Map.entry("data-dir", "bench/target/bench-rebuild-data"));

    private RebuildBench() {
    }

    static boolean run(Options o) throws Exception {
        boolean pg = "postgresql".equals(o.string("db"));
        BenchDatabase db = pg
                ? new BenchDatabase.Postgres(o.string("pg-host"), (int) o.number("pg-port"), o.string("pg-database"),
                        o.string("pg-user"), o.string("pg-password"))
                : new BenchDatabase.H2(Path.of(o.string("h2-dir")));
        long events = o.number("events");
        long customers = o.number("customers");
        long chunk = o.number("chunk");
        System.out.printf("aggregate rebuild on %s over %,d events of %,d customers%n", db.name(), events, customers);
        System.out.println("load average before: " + BenchServer.loadAverage());
        db.recreate();
        try (BenchServer server = BenchServer.start(db, Path.of(o.string("data-dir")))) {
            DataSource ds = server.context.getBean(DataSource.class);
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (long from = 1; from <= customers; from += 500_000) {
                    s.execute(insertCustomersSql(pg, from, Math.min(customers, from + 499_999)));
                    c.commit();
                }
                // park the log at N first: the running pump then has nothing to sequence or apply
                s.execute("update event_log_head set last_offset = " + events + " where id = 1");
                s.execute("delete from event_consumer where name = 'customer-aggregates'");
                s.execute("insert into event_consumer (name, position, updated_at) values ('customer-aggregates', "
                        + events + ", current_timestamp)");
                c.commit();
                for (long from = 1; from <= events; from += chunk) {
                    long to = Math.min(events, from + chunk - 1);
                    s.execute(insertEventsSql(pg, from, to, customers));
                    c.commit();
                    System.out.printf("  loaded %,d events (%.0f s)%n", to, (System.nanoTime() - t0) / 1e9);
                }
                if (pg) {
                    s.execute("select setval('customer_event_id_seq', " + events + ")");
                    c.commit();
                    c.setAutoCommit(true);
                    s.execute("VACUUM (ANALYZE) customer_event");
                } else {
                    s.execute("ALTER TABLE customer_event ALTER COLUMN id RESTART WITH " + (events + 1));
                    s.execute("ANALYZE");
                    c.commit();
                }
            }
            System.out.printf("load: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String loadBefore = BenchServer.loadAverage();
            long t1 = System.nanoTime();
            // a job: 202 at once, then timed until it has succeeded (runJob throws when it fails)
            tools.jackson.databind.JsonNode job = SegmentBench.runJob(server, "/api/v1/customer-aggregates/rebuild");
            double seconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("POST /api/v1/customer-aggregates/rebuild, job until succeeded: %.1f s; result %s%n", seconds,
                    job.path("result"));
            long daily;
            long stored;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                daily = IngestBench.single(s, "select count(*) from customer_daily_count");
                // PostgreSQL stores them folded: one row per customer and day
                stored = db instanceof BenchDatabase.H2 ? daily
                        : IngestBench.single(s, "select count(*) from customer_day_count");
            }
            System.out.printf("daily counts: %,d (customer, key, day) counts in %,d stored rows; load average before: "
                    + "%s; after: %s%n", daily, stored, loadBefore, BenchServer.loadAverage());
            return true;
        }
    }

    /**
     * Events {@code from..to}: customer = 1 + id mod M, spread over the last 360 days, a mix of page,
     * track (three names) and identify, with small properties and context like the tracking API stores.
     */
    /** Bare customers {@code fromId..toId}, one second apart from 2025-01-01, set-based. */
    private static String insertCustomersSql(boolean pg, long fromId, long toId) {
        String base = "2025-01-01 00:00:00+08";
        return pg
                ? "INSERT INTO customer (id, status, source, profile_updated_at, created_at, updated_at) "
                        + "SELECT g, 'active', 'bench', t, t, t FROM (SELECT g, TIMESTAMP WITH TIME ZONE '" + base
                        + "' + g * INTERVAL '1 second' AS t FROM generate_series(" + fromId + ", " + toId + ") g) s"
                : "INSERT INTO customer (id, status, source, profile_updated_at, created_at, updated_at) "
                        + "SELECT x, 'active', 'bench', t, t, t FROM (SELECT x, DATEADD(SECOND, x, TIMESTAMP WITH TIME ZONE '"
                        + base + "') AS t FROM SYSTEM_RANGE(" + fromId + ", " + toId + ") r(x)) s";
    }

    static String insertEventsSql(boolean pg, long from, long to, long customers) {
        String series = pg ? "generate_series(" + from + ", " + to + ") g"
                : "SYSTEM_RANGE(" + from + ", " + to + ") r(g)";
        String at = pg ? "current_timestamp - ((g % 31104000) * interval '1 second')"
                : "DATEADD(SECOND, -(g % 31104000), current_timestamp)";
        return "INSERT INTO customer_event (id, log_offset, customer_id, event_type, name, message_id, source_key, "
                + "occurred_at, received_at, is_system, properties, context) "
                + "SELECT g, g, 1 + (g % " + customers + "), "
                + "CASE WHEN g % 10 < 5 THEN 'page' WHEN g % 10 = 9 THEN 'identify' ELSE 'track' END, "
                + "CASE WHEN g % 10 < 5 THEN 'Product' WHEN g % 10 = 5 THEN 'Product Viewed' WHEN g % 10 = 6 "
                + "THEN 'Product Added' WHEN g % 10 <= 8 THEN 'Checkout Started' ELSE NULL END, "
                + "'m-' || g, 1, t, t, false, '{\"path\":\"/product\",\"price\":128}', '{\"locale\":\"zh-CN\"}' "
                + "FROM (SELECT g, " + at + " AS t FROM " + series + ") s";
    }
}
