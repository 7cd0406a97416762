package io.siyu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The database a benchmark runs against, and the dialect-specific parts of loading it: creating a
 * fresh empty database, the fastest way to write customer and identity rows (COPY on PostgreSQL,
 * JDBC batches on H2), and the clean-up after a bulk load (identity sequence, statistics).
 */
sealed interface BenchDatabase permits BenchDatabase.H2, BenchDatabase.Postgres {

    String CUSTOMER_COLUMNS = "id, status, display_name, nickname, gender, birthday, province, city, source, "
            + "profile_updated_at, created_at, updated_at";
    String IDENTITY_COLUMNS = "customer_id, id_type, app_id, lookup_key, id_value, value_enc, created_at";

    String name();

    String url();

    String user();

    String password();

    /** Drops whatever a previous run left and creates an empty database. */
    void recreate() throws SQLException, IOException;

    /** Writes the customers on {@code c}, inside its transaction. */
    void writeCustomers(Connection c, List<CustomerRow> rows) throws SQLException;

    /** Writes the identities on {@code c}, inside its transaction; their customers must exist. */
    void writeIdentities(Connection c, List<IdentityRow> rows) throws SQLException;

    /** Makes the identity column continue after {@code maxId}, then refreshes planner statistics. */
    void afterLoad(Connection c, long maxId) throws SQLException;

    /** An embedded H2 file database, configured like the application's default. */
    record H2(Path dir) implements BenchDatabase {

        @Override
        public String name() {
            return "h2";
        }

        @Override
        public String url() {
            return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("siyu") + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;WRITE_DELAY=0;CACHE_SIZE=262144";
        }

        @Override
        public String user() {
            return "sa";
        }

        @Override
        public String password() {
            return "";
        }

        @Override
        public void recreate() throws IOException {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        }

        @Override
        public void writeCustomers(Connection c, List<CustomerRow> rows) throws SQLException {
            batchInsert(c, "INSERT INTO customer (" + CUSTOMER_COLUMNS + ") VALUES (?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows, (insert, r) -> {
                        insert.setLong(1, r.id());
                        insert.setString(2, r.displayName());
                        insert.setString(3, r.nickname());
                        insert.setString(4, r.gender());
                        insert.setObject(5, r.birthday());
                        insert.setString(6, r.province());
                        insert.setString(7, r.city());
                        insert.setString(8, r.source());
                        insert.setObject(9, r.firstSeen());
                        insert.setObject(10, r.firstSeen());
                        insert.setObject(11, r.firstSeen());
                    });
        }

        @Override
        public void writeIdentities(Connection c, List<IdentityRow> rows) throws SQLException {
            batchInsert(c, "INSERT INTO customer_identity (" + IDENTITY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", rows,
                    (insert, r) -> {
                        insert.setLong(1, r.customerId());
                        insert.setString(2, r.type());
                        insert.setString(3, r.appId());
                        insert.setString(4, r.lookupKey());
                        insert.setString(5, r.value());
                        insert.setString(6, r.valueEnc());
                        insert.setObject(7, r.createdAt());
                    });
        }

        @Override
        public void afterLoad(Connection c, long maxId) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE customer ALTER COLUMN id RESTART WITH " + (maxId + 1));
                s.execute("ANALYZE");
            }
            c.commit();
        }
    }

    /** A fresh database on a PostgreSQL server, loaded with COPY. */
    record Postgres(String host, int port, String database, String user, String password) implements BenchDatabase {

        @Override
        public String name() {
            return "postgresql";
        }

        @Override
        public String url() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        @Override
        public void recreate() throws SQLException {
            String admin = "jdbc:postgresql://" + host + ":" + port + "/postgres";
            try (Connection c = DriverManager.getConnection(admin, user, password); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + database);
            }
        }

        @Override
        public void writeCustomers(Connection c, List<CustomerRow> rows) throws SQLException {
            StringBuilder sb = new StringBuilder(rows.size() * 200);
            for (CustomerRow r : rows) {
                sb.append(r.id()).append("\tactive\t");
                text(sb, r.displayName()).append('\t');
                text(sb, r.nickname()).append('\t');
                text(sb, r.gender()).append('\t');
                text(sb, r.birthday() == null ? null : r.birthday().toString()).append('\t');
                text(sb, r.province()).append('\t');
                text(sb, r.city()).append('\t');
                text(sb, r.source()).append('\t');
                sb.append(r.firstSeen()).append('\t').append(r.firstSeen()).append('\t').append(r.firstSeen()).append('\n');
            }
            copy(c, "COPY customer (" + CUSTOMER_COLUMNS + ") FROM STDIN", sb);
        }

        @Override
        public void writeIdentities(Connection c, List<IdentityRow> rows) throws SQLException {
            StringBuilder sb = new StringBuilder(rows.size() * 160);
            for (IdentityRow r : rows) {
                sb.append(r.customerId()).append('\t');
                text(sb, r.type()).append('\t');
                text(sb, r.appId()).append('\t');
                text(sb, r.lookupKey()).append('\t');
                text(sb, r.value()).append('\t');
                text(sb, r.valueEnc()).append('\t');
                sb.append(r.createdAt()).append('\n');
            }
            copy(c, "COPY customer_identity (" + IDENTITY_COLUMNS + ") FROM STDIN", sb);
        }

        private static void copy(Connection c, String sql, StringBuilder rows) throws SQLException {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }

        /** COPY text format: \N is null; backslash, tab and line breaks are escaped. */
        private static StringBuilder text(StringBuilder sb, String v) {
            if (v == null) {
                return sb.append("\\N");
            }
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                switch (ch) {
                    case '\\' -> sb.append("\\\\");
                    case '\t' -> sb.append("\\t");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(ch);
                }
            }
            return sb;
        }

        @Override
        public void afterLoad(Connection c, long maxId) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT setval(pg_get_serial_sequence('customer', 'id'), " + maxId + ")");
            }
            c.commit();
            // VACUUM cannot run inside a transaction; it also sets the visibility map for index-only scans
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM (ANALYZE) customer");
                s.execute("VACUUM (ANALYZE) customer_identity");
            } finally {
                c.setAutoCommit(false);
            }
        }
    }

    /** Binds one row's parameters. */
    interface Binder<T> {
        void bind(PreparedStatement insert, T row) throws SQLException;
    }

    /** Rows per JDBC batch when inserting on H2. */
    int INSERT_BATCH = 2_000;

    /** Inserts rows with one prepared statement, executing every {@link #INSERT_BATCH} rows. */
    static <T> void batchInsert(Connection c, String sql, List<T> rows, Binder<T> binder) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            int pending = 0;
            for (T row : rows) {
                binder.bind(insert, row);
                insert.addBatch();
                if (++pending == INSERT_BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            insert.executeBatch();
        }
    }
}
