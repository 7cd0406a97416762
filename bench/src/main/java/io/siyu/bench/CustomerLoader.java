package io.siyu.bench;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.IdentityInput;
import io.siyu.demo.DemoPerson;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * Bulk-loads demo people ({@link io.siyu.demo.DemoData}) straight into the customer tables as the
 * fully resolved customers they would become, bypassing identify: person {@code i} is customer
 * {@code i + 1}. People are generated and encoded a chunk at a time on all cores, so memory stays
 * bounded at any size; each chunk is written with COPY (PostgreSQL) or JDBC batches (H2) and
 * committed.
 */
final class CustomerLoader {

    private static final int CHUNK = 50_000;

    private final BenchDatabase db;
    private final DataSource dataSource;
    private final IdentityEncoder encoder;

    CustomerLoader(BenchDatabase db, DataSource dataSource, IdentityEncoder encoder) {
        this.db = db;
        this.dataSource = dataSource;
        this.encoder = encoder;
    }

    /** Where the time of a load went, in seconds, and how many identities of each type were written. */
    record LoadTimes(long customers, long identities, Map<String, Long> identitiesByType, double generate,
            double customerWrite, double identityWrite, double analyze) {
        double total() {
            return generate + customerWrite + identityWrite + analyze;
        }
    }

    /** One person's rows. */
    private record Encoded(CustomerRow customer, List<IdentityRow> identities) {
    }

    /** Loads people {@code 0..n-1} of {@code people} as customers {@code 1..n}. */
    LoadTimes load(DemoPeopleIndex people, int n) throws SQLException {
        Map<String, Long> byType = new TreeMap<>();
        long identities = 0;
        long generate = 0;
        long customerWrite = 0;
        long identityWrite = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                long t0 = System.nanoTime();
                List<Encoded> chunk = IntStream.range(from, to).parallel()
                        .mapToObj(i -> encode(people.person(i))).toList();
                List<CustomerRow> customers = new ArrayList<>(chunk.size());
                List<IdentityRow> rows = new ArrayList<>(chunk.size() * 5);
                for (Encoded e : chunk) {
                    customers.add(e.customer());
                    rows.addAll(e.identities());
                }
                long t1 = System.nanoTime();
                db.writeCustomers(c, customers);
                long t2 = System.nanoTime();
                db.writeIdentities(c, rows);
                c.commit();
                long t3 = System.nanoTime();
                generate += t1 - t0;
                customerWrite += t2 - t1;
                identityWrite += t3 - t2;
                identities += rows.size();
                rows.forEach(r -> byType.merge(r.type(), 1L, Long::sum));
                if ((to / CHUNK) % 4 == 0 || to == n) {
                    progress("%,d of %,d people, %,d identities (generate+encode %.1f s, customers %.1f s, "
                            + "identities %.1f s)", to, n, identities, generate / 1e9, customerWrite / 1e9,
                            identityWrite / 1e9);
                }
            }
            long t4 = System.nanoTime();
            db.afterLoad(c, n);
            double analyze = (System.nanoTime() - t4) / 1e9;
            return new LoadTimes(n, identities, byType, generate / 1e9, customerWrite / 1e9, identityWrite / 1e9,
                    analyze);
        }
    }

    private Encoded encode(DemoPerson p) {
        long id = p.index() + 1L;
        CustomerTraits t = p.traits();
        CustomerRow customer = new CustomerRow(id, t.displayName(), t.nickname(), t.gender(), t.birthday(),
                t.province(), t.city(), t.source(), p.firstSeen());
        List<IdentityRow> rows = new ArrayList<>(p.identities().size());
        for (IdentityInput in : p.identities()) {
            rows.add(encoder.encode(id, in, p.firstSeen()));
        }
        return new Encoded(customer, rows);
    }

    private static void progress(String format, Object... args) {
        System.out.printf("  " + format + "%n", args);
    }
}
