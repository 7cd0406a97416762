package io.siyu.bench;

import io.siyu.compliance.PiiCipher;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.demo.DemoPerson;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./siyu bench identity}: loads N demo people ({@link io.siyu.demo.DemoData}) into a fresh
 * database as resolved customers, then measures {@link Customers#identify} throughput and latency
 * with a mix of new and known people.
 */
final class IdentityBench {

    /** The demo data's clock: fixed, so a seed always loads the same people. */
    static final OffsetDateTime DATA_END = OffsetDateTime.parse("2026-11-25T00:00:00+08:00");
    /** Demo phones are a prefix and eight digits of the person index: beyond this they stop being numbers. */
    static final int MAX_PEOPLE = 100_000_000;

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("db", "h2"),
            Map.entry("customers", "1000000"),
            Map.entry("ops", "20000"),
            Map.entry("duration", "60"),
            Map.entry("threads", "2,4"),
            Map.entry("new-ratio", "0.3"),
            Map.entry("warmup", "5000"),
            Map.entry("seed", "20261125"),
            Map.entry("data-seed", "20261125"),
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
        long requested = o.number("customers");
        if (requested < 1 || requested > MAX_PEOPLE / 2) {
            // the other half is left for the new people of the workload
            throw new IllegalArgumentException("--customers must be between 1 and " + MAX_PEOPLE / 2);
        }
        int n = (int) requested;
        long dataSeed = o.number("data-seed");
        DemoPeopleIndex loaded = new DemoPeopleIndex(dataSeed, n, DATA_END);
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
                long have = count(dataSource, "SELECT count(*) FROM customer WHERE id <= " + n);
                if (have != n) {
                    throw new IllegalStateException("--reuse: the database holds " + have + " loaded customers, not " + n);
                }
                System.out.println("reusing the loaded database");
            } else {
                if (count(dataSource, "SELECT count(*) FROM customer") != 0) {
                    throw new IllegalStateException("the fresh database already has customers");
                }
                System.out.printf("loading %,d demo people (seed %d, as of %s)%n", n, dataSeed, DATA_END);
                IdentityEncoder encoder = new IdentityEncoder(customers.identityTypes(), ctx.getBean(PiiCipher.class),
                        ctx.getEnvironment().getProperty("siyu.identity.default-region", "CN"));
                CustomerLoader.LoadTimes times = new CustomerLoader(db, dataSource, encoder).load(loaded, n);
                System.out.printf("loaded in %.1f s: generate+encode %.1f s, customers write %.1f s, identities write "
                        + "%.1f s, sequence+statistics %.1f s%n", times.total(), times.generate(), times.customerWrite(),
                        times.identityWrite(), times.analyze());
                System.out.printf("%,d identities (%.2f per customer): %s%n", times.identities(),
                        (double) times.identities() / n, times.identitiesByType());
                load = Optional.of(times);
            }
            checkLoaded(customers, loaded);

            // new people and extra devices continue after everything earlier runs used
            long firstNew = Math.max(n, count(dataSource, "SELECT coalesce(max(id), 0) FROM customer"));
            long firstExtra = count(dataSource, "SELECT coalesce(max(id), 0) FROM customer_identity");
            IdentifyWorkload workload = new IdentifyWorkload(customers, loaded,
                    new DemoPeopleIndex(dataSeed, MAX_PEOPLE, DATA_END), newRatio, firstNew, firstExtra);
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

    /**
     * Loaded people must be found by each of their identities, as the application itself looks them
     * up (phones and e-mails through its normalisation and blind index): people from the first on
     * until every PII and per-app type (the encodings that could go wrong) was met, at most 200,
     * and two more further in.
     */
    private static void checkLoaded(Customers customers, DemoPeopleIndex loaded) {
        int n = loaded.count();
        Set<String> special = new TreeSet<>();
        customers.identityTypes().stream().filter(t -> t.pii() || t.perApp()).forEach(t -> special.add(t.name()));
        Set<String> types = new TreeSet<>();
        int checked = 0;
        for (int p = 0; p < Math.min(n, 200) && !types.containsAll(special); p++) {
            checkPerson(customers, loaded.person(p), types);
            checked++;
        }
        for (int p : new TreeSet<>(List.of(n / 2, n - 1))) {
            checkPerson(customers, loaded.person(p), types);
            checked++;
        }
        System.out.printf("checked: %d loaded people found by each of their identities (%s)%n", checked, types);
    }

    private static void checkPerson(Customers customers, DemoPerson person, Set<String> types) {
        long expected = person.index() + 1L;
        for (IdentityInput in : person.identities()) {
            Optional<Long> found = customers.lookup(in);
            if (found.isEmpty() || found.get() != expected) {
                throw new IllegalStateException("loaded data is not what the application expects: " + in.type()
                        + " of person " + person.index() + " resolves to " + found + ", expected " + expected);
            }
            types.add(in.type());
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
