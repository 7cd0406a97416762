package io.siyu.bench;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * {@code ./siyu bench ingest}: sustained ingestion through {@code POST /v1/batch}. Starts the real
 * server on a free loopback port against a fresh database, creates a write key through the REST
 * API, warms up (which also creates the people later batches come back for), then runs concurrent
 * HTTP clients for a bounded time and number of batches, and reports events/s, batch latency
 * percentiles and rejections; then how far behind the event pump and the aggregates consumer were
 * at the end and how long they took to catch up; then, with the server stopped, the time of a raw
 * COPY (PostgreSQL) or JDBC batch insert (H2) of the same rows into the same table.
 */
final class IngestBench {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("db", "h2"),
            Map.entry("clients", "4"),
            Map.entry("batch", "100"),
            Map.entry("people-per-batch", "10"),
            Map.entry("new-ratio", "0.2"),
            Map.entry("duration", "60"),
            Map.entry("batches", "100000"),
            Map.entry("warmup-batches", "200"),
            Map.entry("warmup-seconds", "30"),
            Map.entry("warmup-max-seconds", "300"),
            Map.entry("jit-settled-percent", "5"),
            Map.entry("seed", "42"),
            Map.entry("pg-host", "127.0.0.1"),
            Map.entry("pg-port", "5432"),
            Map.entry("pg-user", "postgres"),
            Map.entry("pg-password", ""),
            Map.entry("pg-database", "siyu_bench_ingest"),
            Map.entry("h2-dir", "bench/target/bench-ingest-h2"),
            Map.entry("data-dir", "bench/target/bench-ingest-data"));
    static final Set<String> FLAGS = Set.of("no-raw-copy");

    private IngestBench() {
    }

    static boolean run(Options o) throws Exception {
        BenchDatabase db = "postgresql".equals(o.string("db"))
                ? new BenchDatabase.Postgres(o.string("pg-host"), (int) o.number("pg-port"), o.string("pg-database"),
                        o.string("pg-user"), o.string("pg-password"))
                : new BenchDatabase.H2(Path.of(o.string("h2-dir")));
        int clients = (int) o.number("clients");
        int batch = (int) o.number("batch");
        int peoplePerBatch = (int) o.number("people-per-batch");
        System.out.printf("ingest benchmark on %s: %d clients, %d events per batch (%d people), new-ratio %.2f, "
                        + "%d s or %d batches%n", db.name(), clients, batch, peoplePerBatch, o.decimal("new-ratio"),
                o.number("duration"), o.number("batches"));
        System.out.println("load average before: " + BenchServer.loadAverage());
        db.recreate();
        long t0 = System.nanoTime();
        BenchServer server = BenchServer.start(db, Path.of(o.string("data-dir")));
        System.out.printf("server started on 127.0.0.1:%d in %.1f s (fresh database, migrations included)%n", server.port,
                (System.nanoTime() - t0) / 1e9);
        DataSource ds = server.context.getBean(DataSource.class);
        String key = server.createWriteKey("bench-ingest");
        long sourceKey = sourceKey(ds);
        TrackingClients http = new TrackingClients(server.port, key);
        String runId = Long.toString(System.currentTimeMillis(), 36);

        List<TrackingWorkload.Person> people = TrackingWorkload.sharedPeople();
        long seed = o.number("seed");
        List<TrackingWorkload> warm = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            warm.add(new TrackingWorkload(seed + 1000 + c, people, 1.0, batch, peoplePerBatch, runId));
        }
        t0 = System.nanoTime();
        TrackingClients.Result w = http.run(warm, batch, 120, o.number("warmup-batches"));
        System.out.printf("warm-up: %d batches, %,d events, %,d people created, %.1f s (%,.0f events/s), failed %d%n",
                w.batches(), w.events(), w.newPeople(), w.seconds(), w.eventsPerSecond(), w.failed());
        drain(ds, 120);

        // then the measured mix until the JIT compilers have done most of their work: a sustained rate is asked
        try (AutovacuumStandIn maintenance = AutovacuumStandIn.startIfNeeded(db)) {
            return measure(o, db, server, ds, http, people, sourceKey, runId);
        }
    }

    private static boolean measure(Options o, BenchDatabase db, BenchServer server, DataSource ds,
            TrackingClients http, List<TrackingWorkload.Person> people, long sourceKey, String runId) throws Exception {
        int clients = (int) o.number("clients");
        int batch = (int) o.number("batch");
        int peoplePerBatch = (int) o.number("people-per-batch");
        long seed = o.number("seed");
        if (o.number("warmup-seconds") > 0) {
            List<TrackingWorkload> steady = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                steady.add(new TrackingWorkload(seed + 2000 + c, people, o.decimal("new-ratio"), batch, peoplePerBatch, runId));
            }
            TrackingClients.Result s = http.run(steady, batch, o.number("warmup-seconds"), Long.MAX_VALUE);
            System.out.printf("steady-state warm-up with the measured mix: %.1f s, %,d events (%,.0f events/s), failed %d%n",
                    s.seconds(), s.events(), s.eventsPerSecond(), s.failed());
            // a sustained rate is a steady state's: go on in 10 s slices until the JIT compilers rest
            double settled = o.decimal("jit-settled-percent");
            double elapsed = s.seconds();
            while (elapsed < o.number("warmup-max-seconds")) {
                CpuMeter slice = CpuMeter.start();
                TrackingClients.Result more = http.run(steady, batch, 10, Long.MAX_VALUE);
                CpuMeter.Use use = slice.stop(more.events());
                elapsed += more.seconds();
                System.out.printf("  warm-up at %.0f s: %,.0f events/s, JIT compilers %.1f %% of a core%n", elapsed,
                        more.eventsPerSecond(), use.jitPercentOfCore());
                if (use.jitPercentOfCore() < settled) {
                    break;
                }
            }
            drain(ds, 120);
        }

        long maxIdBefore = maxEventId(ds);
        List<TrackingWorkload> measured = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            measured.add(new TrackingWorkload(seed + c, people, o.decimal("new-ratio"), batch, peoplePerBatch, runId));
        }
        String loadBefore = BenchServer.loadAverage();
        WriteMeter writes = WriteMeter.startIfPostgres(db, ds);
        CpuMeter cpu = CpuMeter.start();
        TrackingClients.Result r = http.run(measured, batch, o.number("duration"), o.number("batches"));
        CpuMeter.Use use = cpu.stop(r.events());
        String loadAfter = BenchServer.loadAverage();
        Lag lag = lag(ds);
        long t1 = System.nanoTime();
        boolean caughtUp = drain(ds, 120);
        double catchUp = (System.nanoTime() - t1) / 1e9;
        long stored = countSince(ds, sourceKey, maxIdBefore);
        // backends report their statistics within a second or so of their last transaction
        Thread.sleep(1500);
        String written = writes == null ? null : writes.describe(r.events());

        System.out.println();
        System.out.printf("| db | clients | batches | events | time | events/s | p50 | p95 | p99 | max | rejected | failed | stored |%n");
        System.out.printf("| %s | %d | %,d | %,d | %.1f s | %,.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d | %d | %,d |%n",
                db.name(), clients, r.batches(), r.events(), r.seconds(), r.eventsPerSecond(), r.percentileMillis(50),
                r.percentileMillis(95), r.percentileMillis(99), r.percentileMillis(100), r.rejected(), r.failed(), stored);
        System.out.printf("mix: identify %,d, page %,d, track %,d, Order Completed %,d; people: new %,d, known %,d (%.1f %% new)%n",
                r.identifies(), r.pages(), r.tracks(), r.orders(), r.newPeople(), r.knownPeople(),
                100.0 * r.newPeople() / Math.max(1, r.newPeople() + r.knownPeople()));
        System.out.printf("load average before: %s; after: %s%n", loadBefore, loadAfter);
        System.out.println(use.describe());
        if (written != null) {
            System.out.println(written);
        }
        System.out.printf("at the end: %,d events not yet sequenced, aggregates consumer %,d offsets behind the head; "
                + "caught up %s in %.1f s%n", lag.unsequenced(), lag.behind(), caughtUp ? "" : "NOT", catchUp);
        server.close();

        boolean ok = r.failed() == 0 && r.rejected() == 0 && stored == r.events();
        if (stored != r.events()) {
            System.out.printf("MISMATCH: %,d events acknowledged, %,d stored%n", r.events(), stored);
        }
        if (!o.flag("no-raw-copy")) {
            rawCopy(db, sourceKey, maxIdBefore, r);
        }
        return ok;
    }

    record Lag(long unsequenced, long behind) {
    }

    static Lag lag(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            long unsequenced = single(s, "select count(*) from customer_event where log_offset is null");
            long head = single(s, "select last_offset from event_log_head where id = 1");
            long position = single(s, "select coalesce(max(position), 0) from event_consumer where name = 'customer-aggregates'");
            return new Lag(unsequenced, head - position);
        }
    }

    /** Waits until every event is sequenced and the aggregates consumer is at the head. */
    static boolean drain(DataSource ds, int seconds) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Lag lag = lag(ds);
            if (lag.unsequenced() == 0 && lag.behind() == 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    static long sourceKey(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            return single(s, "select max(id) from write_key");
        }
    }

    static long maxEventId(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            return single(s, "select coalesce(max(id), 0) from customer_event");
        }
    }

    static long countSince(DataSource ds, long sourceKey, long afterId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement p = c.prepareStatement("select count(*) from customer_event where source_key = ? and id > ?")) {
            p.setLong(1, sourceKey);
            p.setLong(2, afterId);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String COLUMNS = "customer_id, event_type, name, message_id, source_key, occurred_at, received_at, "
            + "is_system, properties, context";

    /** The same rows the run stored, written again into customer_event the fastest raw way the database has. */
    static void rawCopy(BenchDatabase db, long sourceKey, long afterId, TrackingClients.Result r) throws Exception {
        String where = " from customer_event where source_key = " + sourceKey + " and id > " + afterId;
        try (Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password())) {
            long rows;
            double seconds;
            String how;
            if (db instanceof BenchDatabase.Postgres) {
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                copy.copyOut("COPY (select " + COLUMNS + where + " order by id) TO STDOUT", out);
                byte[] bytes = out.toByteArray();
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                rows = copy.copyIn("COPY customer_event (" + COLUMNS + ") FROM STDIN", new java.io.ByteArrayInputStream(bytes));
                c.commit();
                seconds = (System.nanoTime() - t0) / 1e9;
                how = String.format("COPY FROM STDIN of %,d bytes, one transaction", bytes.length);
            } else {
                List<Object[]> data = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select " + COLUMNS + where + " order by id")) {
                    while (rs.next()) {
                        Object[] row = new Object[10];
                        for (int i = 0; i < 10; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        data.add(row);
                    }
                }
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                try (PreparedStatement p = c.prepareStatement("insert into customer_event (" + COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int pending = 0;
                    for (Object[] row : data) {
                        for (int i = 0; i < 10; i++) {
                            p.setObject(i + 1, row[i]);
                        }
                        p.addBatch();
                        if (++pending == 1000) {
                            p.executeBatch();
                            pending = 0;
                        }
                    }
                    p.executeBatch();
                }
                c.commit();
                seconds = (System.nanoTime() - t0) / 1e9;
                rows = data.size();
                how = "JDBC batch insert (1,000 rows per batch), one transaction (H2 has no COPY)";
            }
            double rate = rows / seconds;
            System.out.printf("raw write of the same %,d rows into customer_event: %.2f s (%,.0f rows/s), %s; "
                    + "ingest through /v1/batch reached %.1f %% of it%n", rows, seconds, rate, how,
                    100 * r.eventsPerSecond() / rate);
        }
    }
}
