package io.siyu.bench;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * DuckDB (in-memory, in this JVM) as the reference: the tables the five rules and RFM read are exported
 * from the Siyu database as CSV (PostgreSQL {@code COPY ... TO STDOUT}, H2 {@code CSVWRITE}) and read
 * with {@code read_csv}; times are epoch seconds, so the DuckDB queries compare integers.
 */
final class DuckReference implements AutoCloseable {

    /** name → (export query on the Siyu database, DuckDB columns). */
    private static final Map<String, String[]> TABLES = new java.util.LinkedHashMap<>();

    static {
        TABLES.put("customer", new String[] {"SELECT c.id, c.status, c.gender, c.city, c.birthday, ml.str_val AS "
                + "member_level, pt.num_val AS points FROM customer c LEFT JOIN customer_attribute ml ON ml.customer_id "
                + "= c.id AND ml.name = 'member_level' LEFT JOIN customer_attribute pt ON pt.customer_id = c.id AND "
                + "pt.name = 'points'",
            "{'id': 'BIGINT', 'status': 'VARCHAR', 'gender': 'VARCHAR', 'city': 'VARCHAR', 'birthday': 'DATE', "
                + "'member_level': 'VARCHAR', 'points': 'DOUBLE'}"});
        TABLES.put("tags", new String[] {"SELECT customer_id, tag_id FROM customer_tag",
            "{'customer_id': 'BIGINT', 'tag_id': 'BIGINT'}"});
        TABLES.put("daily", new String[] {"SELECT customer_id, event_name, bucket_day, cnt FROM customer_daily_count",
            "{'customer_id': 'BIGINT', 'event_name': 'VARCHAR', 'bucket_day': 'DATE', 'cnt': 'INTEGER'}"});
        TABLES.put("orders", new String[] {"SELECT customer_id, status, total, refunded_amount AS refunded, "
                + "CAST(EXTRACT(EPOCH FROM ordered_at) AS BIGINT) AS ts FROM customer_order",
            "{'customer_id': 'BIGINT', 'status': 'VARCHAR', 'total': 'DECIMAL(18,2)', 'refunded': 'DECIMAL(18,2)', "
                + "'ts': 'BIGINT'}"});
    }

    // rows: R score 5..1; columns: FM score 1..5 (as io.siyu.layer.internal.RfmScheme)
    private static final String[][] GRID = {
        {"new_customers", "potential_loyalist", "loyal", "champions", "champions"},
        {"promising", "potential_loyalist", "loyal", "champions", "champions"},
        {"about_to_sleep", "need_attention", "need_attention", "loyal", "loyal"},
        {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},
        {"lost", "hibernating", "at_risk", "cant_lose", "cant_lose"},
    };

    private final boolean pg;
    private final Connection duck;

    DuckReference(boolean pg, int threads, String memory) throws SQLException {
        this.pg = pg;
        this.duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            s.execute("SET threads = " + threads);
            s.execute("SET memory_limit = '" + memory + "'");
            s.execute("SET preserve_insertion_order = false");
        }
    }

    String version() throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Exports the tables from the Siyu database and loads them into DuckDB. */
    void load(DataSource ds, Path dir) throws Exception {
        load(ds, dir, TABLES.keySet());
    }

    /** Exports some of the tables ({@link #tables()}) and loads them into DuckDB. */
    void load(DataSource ds, Path dir, java.util.Collection<String> names) throws Exception {
        Files.createDirectories(dir);
        double exportTotal = 0;
        double loadTotal = 0;
        for (Map.Entry<String, String[]> t : TABLES.entrySet()) {
            if (!names.contains(t.getKey())) {
                continue;
            }
            Path file = dir.resolve(t.getKey() + ".csv").toAbsolutePath();
            Files.deleteIfExists(file);
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection()) {
                if (pg) {
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                        c.unwrap(PGConnection.class).getCopyAPI()
                                .copyOut("COPY (" + t.getValue()[0] + ") TO STDOUT WITH (FORMAT csv, HEADER true)", out);
                    }
                } else {
                    try (Statement s = c.createStatement()) {
                        s.execute("CALL CSVWRITE('" + file + "', '" + t.getValue()[0].replace("'", "''")
                                + "', 'charset=UTF-8 fieldSeparator=, fieldDelimiter=\" nullString=')");
                    }
                }
            }
            long t1 = System.nanoTime();
            long rows;
            try (Statement s = duck.createStatement()) {
                s.execute("CREATE OR REPLACE TABLE " + t.getKey() + " AS SELECT * FROM read_csv('" + file
                        + "', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = "
                        + t.getValue()[1] + ")");
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t.getKey())) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            long t2 = System.nanoTime();
            exportTotal += (t1 - t0) / 1e9;
            loadTotal += (t2 - t1) / 1e9;
            System.out.printf("  %-8s %,12d rows: export %.1f s, DuckDB read_csv %.1f s%n", t.getKey(), rows,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            Files.deleteIfExists(file);
        }
        System.out.printf("  export %.1f s, load into DuckDB %.1f s%n", exportTotal, loadTotal);
    }

    long count(String sql) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A DuckDB RFM run compared with the scores Siyu stored. */
    record Rfm(int runs, double seconds, double median, long customers, boolean matches, String difference) {
    }

    /**
     * The computation of RfmService for the latest run's as-of time and window: per customer with a
     * counted order in the window, recency (calendar days since the last order's day), frequency (orders not
     * fully refunded), monetary (net of refunds); quintile scores by cumulative distribution; the named
     * segment from the R × FM grid and the 8-class value class from the averages. Materialised as a
     * table, as Siyu stores its scores; then the distributions are compared.
     */
    Rfm rfm(DataSource ds, int runs) throws SQLException {
        OffsetDateTime asOf;
        int window;
        Map<String, Long> siyu = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT as_of, window_days FROM rfm_run ORDER BY id DESC")) {
                rs.next();
                asOf = rs.getObject(1, OffsetDateTime.class);
                window = rs.getInt(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT rfm_segment, value_class, r_score, f_score, m_score, count(*) "
                    + "FROM customer_rfm GROUP BY rfm_segment, value_class, r_score, f_score, m_score")) {
                while (rs.next()) {
                    siyu.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3) + rs.getInt(4) + rs.getInt(5),
                            rs.getLong(6));
                }
            }
        }
        long asOfSecond = asOf.toEpochSecond();
        long from = asOfSecond - window * 86400L + (asOf.getNano() > 0 ? 1 : 0);
        // recency in calendar days of the brand's zone (the bench server's default, Asia/Shanghai: no DST, so
        // one offset serves every order)
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
        int offset = zone.getRules().getOffset(asOf.toInstant()).getTotalSeconds();
        long asOfDay = asOf.atZoneSameInstant(zone).toLocalDate().toEpochDay();
        StringBuilder grid = new StringBuilder("CASE");
        for (int r = 5; r >= 1; r--) {
            for (int fm = 1; fm <= 5; fm++) {
                grid.append(" WHEN rs = ").append(r).append(" AND fm = ").append(fm).append(" THEN '")
                        .append(GRID[5 - r][fm - 1]).append('\'');
            }
        }
        grid.append(" END");
        String sql = "CREATE OR REPLACE TABLE rfm AS WITH w AS (SELECT customer_id, max(ts) AS last_at, count(*) FILTER "
                + "(WHERE status <> 'refunded') AS f, sum(total - refunded) AS m FROM orders WHERE ts >= " + from
                + " AND ts <= " + asOfSecond + " GROUP BY customer_id HAVING count(*) FILTER (WHERE status <> 'refunded') > 0), "
                + "s AS (SELECT customer_id, " + asOfDay + " - CAST(floor((last_at + " + offset + ") / 86400) AS BIGINT) "
                + "AS r, f, CAST(m AS DOUBLE) AS m "
                + "FROM w), "
                + "q AS (SELECT *, "
                + "greatest(1, least(5, ceil(5 * cume_dist() OVER (ORDER BY r DESC) - 1e-9))) AS rs, "
                + "greatest(1, least(5, ceil(5 * cume_dist() OVER (ORDER BY f) - 1e-9))) AS fs, "
                + "greatest(1, least(5, ceil(5 * cume_dist() OVER (ORDER BY m) - 1e-9))) AS ms, "
                + "avg(r) OVER () AS ar, avg(f) OVER () AS af, avg(m) OVER () AS am FROM s), "
                + "g AS (SELECT *, CAST(round((fs + ms) / 2.0 + 1e-9) AS INTEGER) AS fm FROM q) "
                + "SELECT customer_id, r AS recency_days, f AS frequency, m AS monetary, rs AS r_score, fs AS f_score, "
                + "ms AS m_score, " + grid + " AS rfm_segment, "
                + "(CASE WHEN m > am THEN 'important_' ELSE 'general_' END) || (CASE WHEN r < ar THEN (CASE WHEN f > af "
                + "THEN 'value' ELSE 'develop' END) ELSE (CASE WHEN f > af THEN 'keep' ELSE 'retain' END) END) AS value_class "
                + "FROM g";
        double[] times = new double[runs];
        try (Statement s = duck.createStatement()) {
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                s.execute(sql);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Map<String, Long> mine = new TreeMap<>();
        long customers = 0;
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT rfm_segment, value_class, "
                + "CAST(r_score AS INTEGER), CAST(f_score AS INTEGER), CAST(m_score AS INTEGER), count(*) FROM rfm "
                + "GROUP BY ALL")) {
            while (rs.next()) {
                mine.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3) + rs.getInt(4) + rs.getInt(5),
                        rs.getLong(6));
                customers += rs.getLong(6);
            }
        }
        StringBuilder diff = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(siyu.keySet());
        keys.addAll(mine.keySet());
        int shown = 0;
        for (String k : keys) {
            long a = siyu.getOrDefault(k, 0L);
            long b = mine.getOrDefault(k, 0L);
            if (a != b && shown++ < 10) {
                diff.append(k).append(": Siyu ").append(a).append(" DuckDB ").append(b).append("; ");
            }
        }
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return new Rfm(runs, sorted[0], sorted[runs / 2], customers, siyu.equals(mine), diff.toString());
    }

    @Override
    public void close() throws SQLException {
        duck.close();
    }

    static List<String> tables() {
        return List.copyOf(TABLES.keySet());
    }
}
