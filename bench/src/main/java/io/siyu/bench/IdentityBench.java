package io.siyu.bench;

import io.siyu.compliance.PiiCipher;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./siyu bench identity}: loads N synthetic customers into a fresh database, then measures
 * {@link Customers#identify} throughput and latency with a mix of new and known people.
 */
final class IdentityBench {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("db", "h2"),
            Map.entry("customers", "1000000"),
            Map.entry("ops", "20000"),
            Map.entry("duration", "60"),
            Map.entry("threads", "2,4"),
            Map.entry("new-ratio", "0.3"),
            Map.entry("warmup", "5000"),
            Map.entry("seed", "20261125"),
            Map.entry("h2-dir", "bench/target/bench-h2"),
            Map.entry("data-dir", "bench/target/bench-data"),
            Map.entry("pg-host", "127.0.0.1"),
            Map.entry("pg-port", "5432"),
            Map.entry("pg-user", "postgres"),
            Map.entry("pg-password", ""),
            Map.entry("pg-database", "siyu_bench"));
    /** --reuse: keep the database a previous run loaded with the same --customers. */
    static final Set<String> FLAGS = Set.of("reuse");

    /** The load (absent with --reuse) and one result per thread count. */
    record Report(String db, Optional<CustomerLoader.LoadTimes> load, List<IdentifyWorkload.Result> runs) {
    }

    static Report run(Options o) throws Exception {
        BenchDatabase db = switch (o.string("db")) {
            case "h2" -> new BenchDatabase.H2(Path.of(o.string("h2-dir")));
            case "postgresql" -> new BenchDatabase.Postgres(o.string("pg-host"), (int) o.number("pg-port"),
                    o.string("pg-database"), o.string("pg-user"), o.string("pg-password"));
            default -> throw new IllegalArgumentException("--db must be h2 or postgresql");
        };
        long n = o.number("customers");
        List<Integer> threads = o.integers("threads");
        double newRatio = o.decimal("new-ratio");
        if (newRatio < 0 || newRatio > 1) {
            throw new IllegalArgumentException("--new-ratio must be between 0 and 1");
        }
        boolean reuse = o.flag("reuse");
        int pool = threads.stream().mapToInt(Integer::intValue).max().orElse(2) + 4;

        System.out.printf("identity benchmark: db=%s customers=%,d ops=%s duration=%ss threads=%s new-ratio=%s%n",
                db.name(), n, o.string("ops"), o.string("duration"), threads, newRatio);
        System.out.printf("JDK %s (%s), %d processors, max heap %,d MiB%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("load average before: " + loadAverage());
        if (!reuse) {
            db.recreate();
        }
        long t0 = System.nanoTime();
        try (ConfigurableApplicationContext ctx = BenchContext.start(db, Path.of(o.string("data-dir")), pool)) {
            System.out.printf("application context started (migrations included) in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            DataSource dataSource = ctx.getBean(DataSource.class);
            Customers customers = ctx.getBean(Customers.class);
            Optional<CustomerLoader.LoadTimes> load = Optional.empty();
            if (reuse) {
                long have = count(dataSource, "SELECT count(*) FROM customer WHERE id <= " + n + " AND source = 'bench'");
                if (have != n) {
                    throw new IllegalStateException("--reuse: the database holds " + have + " loaded customers, not " + n);
                }
                System.out.println("reusing the loaded database");
            } else {
                if (count(dataSource, "SELECT count(*) FROM customer") != 0) {
                    throw new IllegalStateException("the fresh database already has customers");
                }
                System.out.printf("loading %,d customers with 3 identities each%n", n);
                CustomerLoader.LoadTimes times = new CustomerLoader(db, dataSource, ctx.getBean(PiiCipher.class)).load(n);
                System.out.printf("loaded in %.1f s: customers %.1f s, identities encode %.1f s + write %.1f s, "
                        + "sequence+statistics %.1f s%n", times.total(), times.customerInsert(), times.identityEncode(),
                        times.identityWrite(), times.analyze());
                load = Optional.of(times);
            }
            checkLoaded(customers, n);

            // new people and extra devices continue after everything earlier runs used
            long firstNew = Math.max(n, count(dataSource, "SELECT coalesce(max(id), 0) FROM customer"));
            long firstExtra = SyntheticPeople.EXTRA_ANONYMOUS_BASE
                    + count(dataSource, "SELECT coalesce(max(id), 0) FROM customer_identity");
            IdentifyWorkload workload = new IdentifyWorkload(customers, n, newRatio, firstNew, firstExtra);
            long seed = o.number("seed");
            long warmup = o.number("warmup");
            if (warmup > 0) {
                IdentifyWorkload.Result w = workload.run(threads.getFirst(), warmup, o.decimal("duration"), seed - 1);
                System.out.printf("warm-up: %,d ops in %.1f s%s%n", w.ops(), w.seconds(),
                        w.errors() > 0 ? " (" + w.errors() + " errors, first: " + w.firstError() + ")" : "");
            }
            List<IdentifyWorkload.Result> runs = new ArrayList<>();
            for (int t : threads) {
                IdentifyWorkload.Result r = workload.run(t, o.number("ops"), o.decimal("duration"), seed + t);
                runs.add(r);
                print(db.name(), n, r);
                System.out.println("  load average after: " + loadAverage());
            }
            return new Report(db.name(), load, runs);
        }
    }

    /** A few loaded people must be found by each identity, as the application itself looks them up. */
    private static void checkLoaded(Customers customers, long n) {
        for (long p : new long[] {0, n / 2, n - 1}) {
            for (IdentityInput in : List.of(SyntheticPeople.phone(p), SyntheticPeople.union(p), SyntheticPeople.anonymous(p))) {
                Optional<Long> found = customers.lookup(in);
                if (found.isEmpty() || found.get() != p + 1) {
                    throw new IllegalStateException("loaded data is not what the application expects: " + in.type()
                            + " of person " + p + " resolves to " + found + ", expected " + (p + 1));
                }
            }
        }
    }

    private static void print(String db, long n, IdentifyWorkload.Result r) {
        System.out.printf("%s customers=%,d threads=%d: %,d identify calls in %.1f s = %,.1f resolutions/s; "
                + "latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.1f ms; created %,d, linked %,d, merged %,d, "
                + "conflicts %,d, resolved to wrong customer %,d, errors %,d%n",
                db, n, r.threads(), r.ops(), r.seconds(), r.perSecond(), r.percentileMillis(50), r.percentileMillis(95),
                r.percentileMillis(99), r.percentileMillis(100), r.created(), r.linked(), r.merged(), r.conflicts(),
                r.wrongCustomer(), r.errors());
        if (r.firstError() != null) {
            System.out.println("  first error: " + r.firstError());
        }
    }

    /** The machine is shared: the 1/5/15-minute load averages put a run's numbers in context. */
    private static String loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
