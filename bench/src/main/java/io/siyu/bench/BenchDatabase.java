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
 * fresh empty database, set-based customer inserts, the fastest way to stream identity rows in,
 * and the clean-up after a bulk load (identity sequence, statistics).
 */
sealed interface BenchDatabase permits BenchDatabase.H2, BenchDatabase.Postgres {

    /** Customer created_at values count up one second per customer from here. */
    String BASE_TIME = "2025-01-01 00:00:00+08";

    String name();

    String url();

    String user();

    String password();

    /** Drops whatever a previous run left and creates an empty database. */
    void recreate() throws SQLException, IOException;

    /** Inserts customers {@code fromId..toId} (inclusive) with one set-based statement. */
    String insertCustomersSql(long fromId, long toId);

    /** Opens a sink that writes identity rows on {@code c} (inside its transaction). */
    IdentitySink identitySink(Connection c) throws SQLException;

    /** Makes the identity column continue after {@code maxId}, then refreshes planner statistics. */
    void afterLoad(Connection c, long maxId) throws SQLException;

    /** Receives identity rows in chunks; {@link #finish} completes the write. */
    interface IdentitySink {
        void write(List<IdentityRow> rows) throws SQLException;

        void finish() throws SQLException;
    }

    /** An embedded H2 file database, configured like the application's default. */
    record H2(Path dir) implements BenchDatabase {

        @Override
        public String name() {
            return "h2";
        }

        @Override
        public String url() {
            return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("siyu") + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
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
        public String insertCustomersSql(long fromId, long toId) {
            return "INSERT INTO customer (id, status, source, profile_updated_at, created_at, updated_at) "
                    + "SELECT x, 'active', 'bench', t, t, t FROM (SELECT x, DATEADD(SECOND, x, TIMESTAMP WITH TIME ZONE '"
                    + BASE_TIME + "') AS t FROM SYSTEM_RANGE(" + fromId + ", " + toId + ") r(x)) s";
        }

        @Override
        public IdentitySink identitySink(Connection c) throws SQLException {
            PreparedStatement insert = c.prepareStatement("INSERT INTO customer_identity "
                    + "(customer_id, id_type, app_id, lookup_key, id_value, value_enc, created_at) VALUES (?, ?, '', ?, ?, ?, ?)");
            return new IdentitySink() {
                @Override
                public void write(List<IdentityRow> rows) throws SQLException {
                    int pending = 0;
                    for (IdentityRow r : rows) {
                        insert.setLong(1, r.customerId());
                        insert.setString(2, r.type());
                        insert.setString(3, r.lookupKey());
                        insert.setString(4, r.value());
                        insert.setString(5, r.valueEnc());
                        insert.setObject(6, r.createdAt());
                        insert.addBatch();
                        if (++pending == 2_000) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    }
                    insert.executeBatch();
                    // H2 keeps a transaction's undo log in memory: commit per chunk
                    c.commit();
                }

                @Override
                public void finish() throws SQLException {
                    insert.close();
                }
            };
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
        public String insertCustomersSql(long fromId, long toId) {
            return "INSERT INTO customer (id, status, source, profile_updated_at, created_at, updated_at) "
                    + "SELECT g, 'active', 'bench', t, t, t FROM (SELECT g, TIMESTAMP WITH TIME ZONE '" + BASE_TIME
                    + "' + g * INTERVAL '1 second' AS t FROM generate_series(" + fromId + ", " + toId + ") g) s";
        }

        @Override
        public IdentitySink identitySink(Connection c) throws SQLException {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY customer_identity "
                    + "(customer_id, id_type, app_id, lookup_key, id_value, value_enc, created_at) FROM STDIN");
            return new IdentitySink() {
                @Override
                public void write(List<IdentityRow> rows) throws SQLException {
                    StringBuilder sb = new StringBuilder(rows.size() * 160);
                    for (IdentityRow r : rows) {
                        sb.append(r.customerId()).append('\t');
                        text(sb, r.type()).append("\t\t");
                        text(sb, r.lookupKey()).append('\t');
                        text(sb, r.value()).append('\t');
                        text(sb, r.valueEnc()).append('\t');
                        sb.append(r.createdAt()).append('\n');
                    }
                    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                }

                @Override
                public void finish() throws SQLException {
                    copy.endCopy();
                }
            };
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
}
