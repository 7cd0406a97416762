package io.siyu.bench;

import io.siyu.customer.CustomerTraits;
import io.siyu.demo.DemoPerson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * The data set of {@code ./siyu bench segments}: C customers from the demo generator (profile:
 * gender, birthday, province, city, source) plus two custom attributes, E behaviour events, O orders
 * with one or two lines each, 500 tags in 50 groups with skewed popularity. Everything but the
 * customers is generated set-based inside the database (generate_series on PostgreSQL, SYSTEM_RANGE
 * on H2) from a multiplicative hash of the row number, so the same sizes give the same rows on both
 * databases; the events are already sequenced (offset = id) and the per-customer daily counts and
 * aggregates are then rebuilt by the application's own job, so they are consistent with the log.
 *
 * <p>The load happens while a server (started only for that: migrations, partitions) runs; a marker
 * table {@code bench_segments_meta} records the sizes, so a later run with the same sizes reuses it.
 */
final class SegmentData {

    static final String[] TRACKS = {"Product Viewed", "Product Added", "Checkout Started", "Article Read", "Video Played"};
    static final String[] CITIES = {"上海", "北京", "杭州", "深圳", "广州", "南京", "苏州", "成都", "武汉", "西安"};
    static final int TAG_GROUPS = 50;
    static final int TAGS_PER_GROUP = 10;

    final boolean pg;
    final long customers;
    final long events;
    final long orders;
    final long seed;

    SegmentData(boolean pg, long customers, long events, long orders, long seed) {
        this.pg = pg;
        this.customers = customers;
        this.events = events;
        this.orders = orders;
        this.seed = seed;
    }

    int tags() {
        return TAG_GROUPS * TAGS_PER_GROUP;
    }

    String signature() {
        return "v2 customers=" + customers + " events=" + events + " orders=" + orders + " tags=" + tags() + " seed=" + seed;
    }

    /** The signature of a data set loaded for {@code --only rfm}: customers and orders only. */
    String rfmSignature() {
        return "v2-rfm customers=" + customers + " orders=" + orders + " seed=" + seed;
    }

    /**
     * The admin password of a data set that has what {@code --only rfm} reads (the full one or the
     * customers-and-orders one of the same sizes), or null.
     */
    String loadedPasswordForRfm(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select signature, admin_password from bench_segments_meta")) {
            if (!rs.next()) {
                return null;
            }
            String found = rs.getString(1);
            boolean full = found.equals(signature()) || found.equals(signature().replaceFirst("^v2 ", "v1 "));
            return full || found.equals(rfmSignature()) ? rs.getString(2) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * The admin password recorded with a loaded data set of this signature, or null. A data set of
     * signature v1 (same rows but tags drawn from an unmixed hash) gets its tags reassigned first.
     */
    String loadedPassword(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select signature, admin_password from bench_segments_meta")) {
            if (!rs.next()) {
                return null;
            }
            String found = rs.getString(1);
            String password = rs.getString(2);
            if (found.equals(signature().replaceFirst("^v2 ", "v1 "))) {
                long t = System.nanoTime();
                c.setAutoCommit(false);
                reassignTags(c, s, ts(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)));
                s.execute("UPDATE bench_segments_meta SET signature = '" + signature() + "'");
                c.commit();
                if (pg) {
                    c.setAutoCommit(true);
                    s.execute("VACUUM (ANALYZE) customer_tag");
                }
                step("data set v1 → v2: tags reassigned", t);
                return password;
            }
            return found.equals(signature()) ? password : null;
        } catch (SQLException e) {
            return null;
        }
    }

    // ---- SQL helpers (both dialects)

    private String series(long from, long to, String alias) {
        return pg ? "generate_series(CAST(" + from + " AS BIGINT), CAST(" + to + " AS BIGINT)) " + alias
                : "SYSTEM_RANGE(" + from + ", " + to + ") " + alias + "x(" + alias + ")";
    }

    /** A uniform double in [0, 1) from a row number and a multiplier. */
    private static String uniform(String expr, long mult) {
        return "(CAST(MOD(CAST(" + expr + " AS BIGINT) * " + mult + ", 4294967296) AS DOUBLE PRECISION) / 4294967296.0)";
    }

    /**
     * A uniform double in [0, 1) with the row numbers' regular spacing mixed away: {@link #uniform} of
     * consecutive numbers is a Weyl sequence (evenly spread, so two draws for the same customer are never
     * close), which made tag combinations unrealistically rare; squaring modulo a prime scrambles it.
     */
    private static String mixed(String expr, long mult) {
        // BIGINT throughout: H2 types MOD(bigint, 2147483647) as INTEGER, and the square would overflow it
        String h = "CAST(MOD(CAST(" + expr + " AS BIGINT) * " + mult + " + 12345, 2147483647) AS BIGINT)";
        return "(CAST(MOD(" + h + " * " + h + ", 2147483647) AS DOUBLE PRECISION) / 2147483647.0)";
    }

    private static String hash(String expr, long mult, long mod) {
        return "MOD(MOD(CAST(" + expr + " AS BIGINT) * " + mult + ", 4294967296), " + mod + ")";
    }

    private String minusSeconds(String base, String seconds) {
        return pg ? "(" + base + " - CAST(" + seconds + " AS BIGINT) * INTERVAL '1 second')"
                : "DATEADD(SECOND, -CAST(" + seconds + " AS BIGINT), " + base + ")";
    }

    private static String ts(OffsetDateTime t) {
        // always with seconds: LocalDateTime.toString() leaves ":00" out, which the databases refuse
        return "TIMESTAMP WITH TIME ZONE '" + t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")) + "+00:00'";
    }

    // ---- loading

    /** Loads everything into the (migrated, empty) database of {@code server}. */
    void load(BenchServer server, BenchDatabase db, String adminPassword) throws Exception {
        DataSource ds = server.context.getBean(DataSource.class);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String base = ts(now);
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            loadCustomers(c, db);
            step("customers (demo generator, " + (pg ? "COPY" : "JDBC batches") + ")", t0);

            long t = System.nanoTime();
            s.execute("INSERT INTO attribute_definition (name, data_type, label_zh, label_en, merge_strategy, created_at, "
                    + "updated_at) VALUES ('member_level', 'string', '会员等级', 'Member level', 'newest', " + base + ", "
                    + base + "), ('points', 'number', '积分', 'Points', 'newest', " + base + ", " + base + ")");
            String u = uniform("c", 2246822519L);
            s.execute("INSERT INTO customer_attribute (customer_id, name, str_val, updated_at) SELECT c, 'member_level', "
                    + "CASE WHEN " + u + " < 0.3 THEN 'silver' WHEN " + u + " < 0.5 THEN 'gold' ELSE 'platinum' END, "
                    + base + " FROM " + series(1, customers, "c") + " WHERE " + uniform("c", 3266489917L) + " < 0.6");
            s.execute("INSERT INTO customer_attribute (customer_id, name, num_val, updated_at) SELECT c, 'points', "
                    + hash("c", 668265263L, 50000) + ", " + base + " FROM " + series(1, customers, "c") + " WHERE "
                    + uniform("c", 374761393L) + " < 0.8");
            c.commit();
            step("custom attributes", t);

            t = System.nanoTime();
            loadTags(c, s, base);
            step("500 tags, assignments", t);

            t = System.nanoTime();
            // the log is parked at E first: the running pump then has nothing to sequence or apply
            s.execute("update event_log_head set last_offset = " + events + " where id = 1");
            s.execute("delete from event_consumer where name = 'customer-aggregates'");
            s.execute("insert into event_consumer (name, position, updated_at) values ('customer-aggregates', "
                    + events + ", current_timestamp)");
            c.commit();
            long chunk = 2_000_000;
            for (long from = 1; from <= events; from += chunk) {
                long to = Math.min(events, from + chunk - 1);
                s.execute(eventsSql(from, to, base));
                c.commit();
                System.out.printf("    %,d events (%.0f s)%n", to, (System.nanoTime() - t) / 1e9);
            }
            if (pg) {
                s.execute("select setval('customer_event_id_seq', " + Math.max(1, events) + ")");
            } else {
                s.execute("ALTER TABLE customer_event ALTER COLUMN id RESTART WITH " + (events + 1));
            }
            c.commit();
            step("events", t);

            t = System.nanoTime();
            for (long from = 1; from <= orders; from += chunk) {
                long to = Math.min(orders, from + chunk - 1);
                s.execute(ordersSql(from, to, base));
                s.execute(linesSql(from, to));
                c.commit();
                System.out.printf("    %,d orders (%.0f s)%n", to, (System.nanoTime() - t) / 1e9);
            }
            step("orders and lines", t);
            analyze(c, s);
        }
        long t = System.nanoTime();
        var job = SegmentBench.runJob(server, "/api/v1/customer-aggregates/rebuild");
        step("aggregates rebuild job (" + job + ")", t);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            analyze(c, s);
            s.execute("CREATE TABLE bench_segments_meta (signature VARCHAR(200), admin_password VARCHAR(100), "
                    + "loaded_at TIMESTAMP WITH TIME ZONE)");
            s.execute("INSERT INTO bench_segments_meta VALUES ('" + signature() + "', '" + adminPassword + "', "
                    + base + ")");
            c.commit();
        }
        step("whole load", t0);
    }

    /**
     * Loads only what RFM reads into the (migrated, empty) database of {@code server}: the customers and
     * the orders (the same rows as {@link #load}, without order lines, events or tags).
     */
    void loadForRfm(BenchServer server, BenchDatabase db, String adminPassword) throws Exception {
        DataSource ds = server.context.getBean(DataSource.class);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String base = ts(now);
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            loadCustomers(c, db);
            step("customers", t0);
            long t = System.nanoTime();
            long chunk = 2_000_000;
            for (long from = 1; from <= orders; from += chunk) {
                long to = Math.min(orders, from + chunk - 1);
                s.execute(ordersSql(from, to, base));
                c.commit();
                System.out.printf("    %,d orders (%.0f s)%n", to, (System.nanoTime() - t) / 1e9);
            }
            step("orders", t);
            c.commit();
            if (pg) {
                c.setAutoCommit(true);
                s.execute("VACUUM (ANALYZE) customer");
                s.execute("VACUUM (ANALYZE) customer_order");
                c.setAutoCommit(false);
            } else {
                s.execute("ANALYZE");
            }
            s.execute("CREATE TABLE bench_segments_meta (signature VARCHAR(200), admin_password VARCHAR(100), "
                    + "loaded_at TIMESTAMP WITH TIME ZONE)");
            s.execute("INSERT INTO bench_segments_meta VALUES ('" + rfmSignature() + "', '" + adminPassword + "', "
                    + base + ")");
            c.commit();
        }
        step("whole load", t0);
    }

    private void analyze(Connection c, Statement s) throws SQLException {
        c.commit();
        if (pg) {
            c.setAutoCommit(true);
            for (String table : List.of("customer", "customer_attribute", "customer_tag", "customer_event",
                    "customer_order", "order_line", "customer_day_count", "customer_aggregate")) {
                s.execute("VACUUM (ANALYZE) " + table);
            }
            c.setAutoCommit(false);
        } else {
            s.execute("ANALYZE");
            c.commit();
        }
    }

    private static void step(String what, long started) {
        System.out.printf("  %s: %.1f s%n", what, (System.nanoTime() - started) / 1e9);
    }

    private void loadCustomers(Connection c, BenchDatabase db) throws SQLException {
        DemoPeopleIndex people = new DemoPeopleIndex(seed, (int) customers, IdentityBench.DATA_END);
        int chunk = 50_000;
        for (int from = 0; from < customers; from += chunk) {
            int to = (int) Math.min(customers, from + chunk);
            List<CustomerRow> rows = IntStream.range(from, to).parallel().mapToObj(i -> row(people.person(i))).toList();
            db.writeCustomers(c, rows);
            c.commit();
        }
        try (Statement s = c.createStatement()) {
            s.execute(pg ? "SELECT setval(pg_get_serial_sequence('customer', 'id'), " + customers + ")"
                    : "ALTER TABLE customer ALTER COLUMN id RESTART WITH " + (customers + 1));
        }
        c.commit();
    }

    private static CustomerRow row(DemoPerson p) {
        CustomerTraits t = p.traits();
        return new CustomerRow(p.index() + 1L, t.displayName(), t.nickname(), t.gender(), t.birthday(), t.province(),
                t.city(), t.source(), p.firstSeen());
    }

    private void loadTags(Connection c, Statement s, String base) throws SQLException {
        s.execute("INSERT INTO tag_group (id, name, description, sort_order, exclusive_tags, created_at, updated_at) "
                + "SELECT g, 'bench-group-' || g, 'benchmark', g, false, " + base + ", " + base + " FROM "
                + series(1, TAG_GROUPS, "g"));
        s.execute("INSERT INTO tag (id, group_id, name, colour, description, sort_order, created_at, updated_at) "
                + "SELECT t, 1 + (t - 1) / " + TAGS_PER_GROUP + ", 'bench-tag-' || t, '#3366CC', 'benchmark', t, " + base
                + ", " + base + " FROM " + series(1, tags(), "t"));
        if (pg) {
            s.execute("SELECT setval(pg_get_serial_sequence('tag_group', 'id'), " + TAG_GROUPS + ")");
            s.execute("SELECT setval(pg_get_serial_sequence('tag', 'id'), " + tags() + ")");
        } else {
            s.execute("ALTER TABLE tag_group ALTER COLUMN id RESTART WITH " + (TAG_GROUPS + 1));
            s.execute("ALTER TABLE tag ALTER COLUMN id RESTART WITH " + (tags() + 1));
        }
        // 8 slots per customer, each filled with probability 0.45 (3.6 tags on average) by a tag drawn with
        // popularity falling steeply with its id (tag 1 is on about a quarter of the customers, tag 500 on about 0.3 %)
        reassignTags(c, s, base);
    }

    /** The customers' tags (replacing any); also brings a data set of signature v1 up to v2. */
    void reassignTags(Connection c, Statement s, String base) throws SQLException {
        s.execute("DELETE FROM customer_tag");
        c.commit();
        String slot = "(c * 8 + k)";
        for (long from = 1; from <= customers; from += 250_000) {
            long to = Math.min(customers, from + 249_999);
            s.execute("INSERT INTO customer_tag (customer_id, tag_id, source, assigned_at, assigned_by) "
                    + "SELECT c, tag_id, 'import', " + base + ", 'bench' FROM (SELECT c, 1 + CAST(FLOOR(" + tags()
                    + " * POWER(" + mixed(slot, 2654435761L) + ", 2.5)) AS BIGINT) AS tag_id FROM "
                    + series(from, to, "c") + " CROSS JOIN " + series(0, 7, "k") + " WHERE "
                    + mixed(slot, 1597334677L) + " < 0.45) x GROUP BY c, tag_id");
            c.commit();
        }
    }

    /**
     * Events {@code from..to}: customer skewed towards low ids (1 + C·u^1.5: every customer has some,
     * the first ones many), time within the last 360 days skewed towards now (360 days · u²), nine in
     * twenty pages, one identify, the rest five track names.
     */
    private String eventsSql(long from, long to, String base) {
        String cust = "LEAST(" + customers + ", 1 + CAST(FLOOR(" + customers + " * POWER(" + uniform("g", 2654435761L)
                + ", 1.5)) AS BIGINT))";
        String ago = "FLOOR(31104000 * POWER(" + uniform("g", 2246822519L) + ", 2))";
        String kind = hash("g", 3266489917L, 20);
        StringBuilder name = new StringBuilder("CASE WHEN k < 9 THEN 'Product' WHEN k = 9 THEN NULL");
        int[] upper = {13, 15, 16, 18, 19};
        for (int i = 0; i < TRACKS.length; i++) {
            name.append(" WHEN k <= ").append(upper[i]).append(" THEN '").append(TRACKS[i]).append('\'');
        }
        name.append(" END");
        return "INSERT INTO customer_event (id, log_offset, customer_id, event_type, name, message_id, source_key, "
                + "occurred_at, received_at, is_system, properties, context) "
                + "SELECT g, g, cust, CASE WHEN k < 9 THEN 'page' WHEN k = 9 THEN 'identify' ELSE 'track' END, " + name
                + ", 'seg-' || g, 1, t, t, false, '{\"path\":\"/product\",\"price\":128}', '{\"locale\":\"zh-CN\"}' "
                + "FROM (SELECT g, " + cust + " AS cust, " + kind + " AS k, " + minusSeconds(base, ago) + " AS t FROM "
                + series(from, to, "g") + ") s";
    }

    /**
     * Orders {@code from..to}: 70 % of the customers ever buy (ids whose last digit is 0–6), skewed
     * towards low ids; total 19.90–1,999.90 skewed low; 3 % fully and 2 % partly refunded; placed in the
     * last two years, skewed towards now.
     */
    private String ordersSql(long from, long to, String base) {
        String j = "CAST(FLOOR(" + (long) (customers * 0.7) + " * POWER(" + uniform("g", 2654435761L) + ", 1.3)) AS BIGINT)";
        String total = "CAST(19.90 + FLOOR(198000 * POWER(" + uniform("g", 2246822519L) + ", 2)) / 100.0 AS DECIMAL(18, 2))";
        String kind = hash("g", 3266489917L, 100);
        String ago = "FLOOR(63072000 * POWER(" + uniform("g", 374761393L) + ", 1.5))";
        return "INSERT INTO customer_order (order_id, customer_id, status, total, revenue, currency, refunded_amount, "
                + "ordered_at, updated_at) SELECT 'b' || g, LEAST(" + customers + ", (j / 7) * 10 + MOD(j, 7) + 1), "
                + "CASE WHEN k < 3 THEN 'refunded' WHEN k < 5 THEN 'partially_refunded' ELSE 'completed' END, "
                + "total, total, 'CNY', CASE WHEN k < 3 THEN total WHEN k < 5 THEN CAST(ROUND(total * 0.3, 2) AS "
                + "DECIMAL(18, 2)) ELSE 0 END, t, t FROM (SELECT g, " + j + " AS j, " + total + " AS total, " + kind
                + " AS k, " + minusSeconds(base, ago) + " AS t FROM " + series(from, to, "g") + ") s";
    }

    /** One line per order, a second for half of them: 2,000 products in 40 categories, 5,000 SKUs. */
    private String linesSql(long from, long to) {
        String h = hash("g * 2 + n", 2654435761L, 5000);
        return "INSERT INTO order_line (order_id, line_no, product_id, sku, category, name, price, quantity) "
                + "SELECT 'b' || g, n, 'P' || MOD(h, 2000), 'SKU-' || h, 'cat-' || MOD(h, 40), 'product', 99.00, 1 FROM "
                + "(SELECT g, n, " + h + " AS h FROM " + series(from, to, "g") + " CROSS JOIN " + series(1, 2, "n")
                + ") s WHERE n = 1 OR " + hash("g", 1597334677L, 2) + " = 0";
    }
}
