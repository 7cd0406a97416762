package io.siyu.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What autovacuum does for a deployment, done by the benchmark where the server has it switched off
 * (this machine's PostgreSQL sets {@code autovacuum = off} for its test runs): {@code VACUUM (ANALYZE)}
 * of the benchmark database at the start and then once per {@code autovacuum_naptime} (a minute by
 * default). Without statistics the planner takes tables that grew from empty for a few pages and
 * scans them whole for primary-key lookups, which no production server with autovacuum would do.
 * Its cost is the server's, as autovacuum's would be. On H2, or with autovacuum on, it does nothing.
 */
final class AutovacuumStandIn implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private AutovacuumStandIn(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts the stand-in if {@code db} is PostgreSQL with autovacuum off; says so on standard output. */
    static AutovacuumStandIn startIfNeeded(BenchDatabase db) throws SQLException {
        if (!(db instanceof BenchDatabase.Postgres)) {
            return new AutovacuumStandIn(null);
        }
        long naptime;
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            if (!"off".equals(setting(s, "autovacuum"))) {
                return new AutovacuumStandIn(null);
            }
            naptime = Long.parseLong(setting(s, "autovacuum_naptime").replaceAll("\\D", ""));
        }
        System.out.printf("autovacuum is off on this server: the benchmark runs VACUUM (ANALYZE) now and every %d s%n",
                naptime);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autovacuum-stand-in");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> vacuum(db), 0, naptime, TimeUnit.SECONDS);
        return new AutovacuumStandIn(timer);
    }

    private static String setting(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT setting FROM pg_settings WHERE name = '" + name + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void vacuum(BenchDatabase db) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
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
