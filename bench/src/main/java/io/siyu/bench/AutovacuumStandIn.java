package io.siyu.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What autovacuum does for a deployment, done by the benchmark where the server has it switched off
 * (this machine's PostgreSQL sets {@code autovacuum = off} for its test runs). Once per
 * {@code autovacuum_naptime} (a minute by default) it applies autovacuum's own rules to every table
 * of the benchmark database, with the server's autovacuum settings: {@code VACUUM} a table whose dead
 * rows exceed {@code autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples} or
 * whose rows inserted since its last vacuum exceed the insert threshold and scale factor,
 * {@code ANALYZE} one whose rows changed since its last analyse exceed the analyse threshold and
 * scale factor, throttled by {@code autovacuum_vacuum_cost_delay} and {@code _cost_limit} as the
 * autovacuum workers are. Without statistics the planner takes tables that grew from empty for a few
 * pages and scans them whole for primary-key lookups, which no production server with autovacuum
 * would do. Its cost is the server's, as autovacuum's would be. On H2, or with autovacuum on, it does
 * nothing.
 */
final class AutovacuumStandIn implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private AutovacuumStandIn(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** The server's autovacuum settings. */
    record Rules(double vacuumThreshold, double vacuumScale, double insertThreshold, double insertScale,
            double analyzeThreshold, double analyzeScale, String costDelay, String costLimit) {

        boolean vacuum(double reltuples, long dead, long insertedSinceVacuum) {
            double tuples = Math.max(0, reltuples);
            return dead > vacuumThreshold + vacuumScale * tuples
                    || (insertThreshold >= 0 && insertedSinceVacuum > insertThreshold + insertScale * tuples);
        }

        boolean analyze(double reltuples, long modifiedSinceAnalyze) {
            return modifiedSinceAnalyze > analyzeThreshold + analyzeScale * Math.max(0, reltuples);
        }
    }

    /** Starts the stand-in if {@code db} is PostgreSQL with autovacuum off; says so on standard output. */
    static AutovacuumStandIn startIfNeeded(BenchDatabase db) throws SQLException {
        if (!(db instanceof BenchDatabase.Postgres)) {
            return new AutovacuumStandIn(null);
        }
        long naptime;
        Rules rules;
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            Map<String, String> settings = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select name, setting from pg_settings where name like 'autovacuum%' "
                    + "or name in ('vacuum_cost_delay', 'vacuum_cost_limit')")) {
                while (rs.next()) {
                    settings.put(rs.getString(1), rs.getString(2));
                }
            }
            if (!"off".equals(settings.get("autovacuum"))) {
                return new AutovacuumStandIn(null);
            }
            naptime = Long.parseLong(settings.get("autovacuum_naptime"));
            String delay = settings.get("autovacuum_vacuum_cost_delay");
            String limit = settings.get("autovacuum_vacuum_cost_limit");
            rules = new Rules(number(settings, "autovacuum_vacuum_threshold"),
                    number(settings, "autovacuum_vacuum_scale_factor"),
                    number(settings, "autovacuum_vacuum_insert_threshold"),
                    number(settings, "autovacuum_vacuum_insert_scale_factor"),
                    number(settings, "autovacuum_analyze_threshold"),
                    number(settings, "autovacuum_analyze_scale_factor"),
                    "-1".equals(delay) ? settings.get("vacuum_cost_delay") : delay,
                    "-1".equals(limit) ? settings.get("vacuum_cost_limit") : limit);
        }
        System.out.printf("autovacuum is off on this server: the benchmark applies autovacuum's rules to each table "
                + "every %d s (%s)%n", naptime, rules);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autovacuum-stand-in");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> round(db, rules), 0, naptime, TimeUnit.SECONDS);
        return new AutovacuumStandIn(timer);
    }

    private static double number(Map<String, String> settings, String name) {
        return Double.parseDouble(settings.get(name));
    }

    /** One round: the tables autovacuum would process now, each vacuumed and/or analysed. */
    private static void round(BenchDatabase db, Rules rules) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            s.execute("set vacuum_cost_delay = " + rules.costDelay());
            s.execute("set vacuum_cost_limit = " + rules.costLimit());
            List<String> work = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("""
                    select format('%I.%I', t.schemaname, t.relname), c.reltuples, t.n_dead_tup, t.n_ins_since_vacuum,
                           t.n_mod_since_analyze
                    from pg_stat_user_tables t join pg_class c on c.oid = t.relid
                    where c.relkind in ('r', 'm')""")) {
                while (rs.next()) {
                    double tuples = rs.getDouble(2);
                    boolean vacuum = rules.vacuum(tuples, rs.getLong(3), rs.getLong(4));
                    boolean analyze = rules.analyze(tuples, rs.getLong(5));
                    if (vacuum || analyze) {
                        work.add((vacuum ? analyze ? "VACUUM (ANALYZE) " : "VACUUM " : "ANALYZE ") + rs.getString(1));
                    }
                }
            }
            for (String command : work) {
                s.execute(command);
            }
        } catch (SQLException e) {
            System.out.println("autovacuum stand-in: " + e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
