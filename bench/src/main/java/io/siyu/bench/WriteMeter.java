package io.siyu.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What PostgreSQL wrote while something ran, per event: WAL (records, full-page images, bytes, from
 * {@code pg_stat_wal}), buffers the backends had to write out themselves ({@code pg_stat_bgwriter}),
 * row writes per table ({@code pg_stat_user_tables}, partitions added up by name prefix) and the
 * sequential scans that read rows (a plan that should have used an index shows up here). The
 * statistics are the cluster's: other databases' writes during the run count too. Null off PostgreSQL.
 */
final class WriteMeter {

    private final DataSource ds;
    private final Snapshot start;

    private WriteMeter(DataSource ds, Snapshot start) {
        this.ds = ds;
        this.start = start;
    }

    static WriteMeter startIfPostgres(BenchDatabase db, DataSource ds) throws SQLException {
        if (!"postgresql".equals(db.name())) {
            return null;
        }
        return new WriteMeter(ds, snapshot(ds));
    }

    /** What was written since the start, described per event. */
    String describe(long events) throws SQLException {
        Snapshot end = snapshot(ds);
        double n = Math.max(1, events);
        StringBuilder sb = new StringBuilder(String.format(
                "PostgreSQL writes per event: WAL %.1f records, %.3f full-page images, %,.0f bytes; "
                        + "buffers written by backends %.3f; rows inserted/updated (HOT)/deleted per table:",
                (end.walRecords - start.walRecords) / n, (end.walFpi - start.walFpi) / n,
                (end.walBytes - start.walBytes) / n, (end.backendBuffers - start.backendBuffers) / n));
        List<String> names = new ArrayList<>(end.tables.keySet());
        names.sort(null);
        for (String t : names) {
            long[] a = end.tables.get(t);
            long[] b = start.tables.getOrDefault(t, new long[6]);
            long ins = a[0] - b[0];
            long upd = a[1] - b[1];
            long hot = a[2] - b[2];
            long del = a[3] - b[3];
            if (ins + upd + del > 0) {
                sb.append(String.format("%n  %-28s %.3f / %.3f (%.3f) / %.3f", t, ins / n, upd / n, hot / n, del / n));
            }
        }
        sb.append(String.format("%nsequential scans that read rows (scans, rows read per event):"));
        for (String t : names) {
            long[] a = end.tables.get(t);
            long[] b = start.tables.getOrDefault(t, new long[6]);
            if (a[5] > b[5]) {
                sb.append(String.format("%n  %-28s %,d, %.1f", t, a[4] - b[4], (a[5] - b[5]) / n));
            }
        }
        return sb.toString();
    }

    private record Snapshot(long walRecords, long walFpi, long walBytes, long backendBuffers, Map<String, long[]> tables) {
    }

    private static Snapshot snapshot(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            long records;
            long fpi;
            long bytes;
            try (ResultSet rs = s.executeQuery("select wal_records, wal_fpi, wal_bytes from pg_stat_wal")) {
                rs.next();
                records = rs.getLong(1);
                fpi = rs.getLong(2);
                bytes = rs.getLong(3);
            }
            long backend;
            try (ResultSet rs = s.executeQuery("select buffers_backend from pg_stat_bgwriter")) {
                rs.next();
                backend = rs.getLong(1);
            }
            Map<String, long[]> tables = new HashMap<>();
            // partitions (customer_event_2026_01, …) count under their parent's name
            try (ResultSet rs = s.executeQuery("""
                    select case when relname like 'customer\\_event\\_%' then 'customer_event' else relname end,
                           sum(n_tup_ins), sum(n_tup_upd), sum(n_tup_hot_upd), sum(n_tup_del),
                           sum(seq_scan), sum(seq_tup_read)
                    from pg_stat_user_tables group by 1""")) {
                while (rs.next()) {
                    tables.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)});
                }
            }
            return new Snapshot(records, fpi, bytes, backend, tables);
        }
    }
}
