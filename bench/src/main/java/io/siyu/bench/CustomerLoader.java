package io.siyu.bench;

import io.siyu.compliance.PiiCipher;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;

/**
 * Bulk-loads synthetic customers straight into the customer tables, bypassing identify: one
 * set-based insert per chunk of customers, identity rows streamed with COPY (PostgreSQL) or JDBC
 * batches (H2). Phones are stored exactly as the application stores them (blind index as lookup
 * key, AES-GCM ciphertext as value) using the application's own {@link PiiCipher}.
 */
final class CustomerLoader {

    private static final int CHUNK = 50_000;
    private static final OffsetDateTime BASE = OffsetDateTime.parse("2025-01-01T00:00:00+08:00");

    private final BenchDatabase db;
    private final DataSource dataSource;
    private final PiiCipher cipher;

    CustomerLoader(BenchDatabase db, DataSource dataSource, PiiCipher cipher) {
        this.db = db;
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** Where the time of a load went, in seconds. */
    record LoadTimes(long customers, double customerInsert, double identityEncode, double identityWrite,
            double analyze) {
        double total() {
            return customerInsert + identityEncode + identityWrite + analyze;
        }
    }

    /** Loads persons {@code 0..n-1} as customers {@code 1..n}, each with phone, unionid and anonymous id. */
    LoadTimes load(long n) throws SQLException {
        if (n <= 0 || n >= SyntheticPeople.MAX_PEOPLE) {
            throw new IllegalArgumentException("--customers must be between 1 and " + (SyntheticPeople.MAX_PEOPLE - 1));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                for (long from = 1; from <= n; from += CHUNK) {
                    s.executeUpdate(db.insertCustomersSql(from, Math.min(n, from + CHUNK - 1)));
                    c.commit();
                }
            }
            double customerInsert = seconds(t0);
            progress("customers inserted: %,d in %.1f s", n, customerInsert);

            long encode = 0;
            long write = 0;
            BenchDatabase.IdentitySink sink = db.identitySink(c);
            for (long from = 0; from < n; from += CHUNK) {
                long to = Math.min(n, from + CHUNK);
                long t1 = System.nanoTime();
                List<IdentityRow> rows = rows(from, to);
                long t2 = System.nanoTime();
                sink.write(rows);
                long t3 = System.nanoTime();
                encode += t2 - t1;
                write += t3 - t2;
                if ((to / CHUNK) % 4 == 0 || to == n) {
                    progress("identities: %,d of %,d customers (encode %.1f s, write %.1f s)", to, n, encode / 1e9,
                            write / 1e9);
                }
            }
            long t4 = System.nanoTime();
            sink.finish();
            c.commit();
            write += System.nanoTime() - t4;

            long t5 = System.nanoTime();
            db.afterLoad(c, n);
            double analyze = seconds(t5);
            return new LoadTimes(n, customerInsert, encode / 1e9, write / 1e9, analyze);
        }
    }

    /** The three identity rows of each person in {@code [from, to)}, encoded on all cores. */
    private List<IdentityRow> rows(long from, long to) {
        List<IdentityRow[]> perPerson = LongStream.range(from, to).parallel().mapToObj(this::rowsOf).toList();
        List<IdentityRow> rows = new ArrayList<>(perPerson.size() * 3);
        perPerson.forEach(r -> rows.addAll(List.of(r)));
        return rows;
    }

    private IdentityRow[] rowsOf(long person) {
        long customerId = person + 1;
        OffsetDateTime at = BASE.plusSeconds(customerId);
        String e164 = SyntheticPeople.phoneE164(person);
        String union = SyntheticPeople.unionId(person);
        String anonymous = SyntheticPeople.anonymousId(person);
        return new IdentityRow[] {
            new IdentityRow(customerId, "phone", cipher.blindIndex("phone", e164), null, cipher.encrypt(e164), at),
            new IdentityRow(customerId, "wechat_unionid", union, union, null, at),
            new IdentityRow(customerId, "anonymous_id", anonymous, anonymous, null, at),
        };
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void progress(String format, Object... args) {
        System.out.printf("  " + format + "%n", args);
    }
}
