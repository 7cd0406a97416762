package io.siyu.layer.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.compliance.AuditLog;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.JobContext;
import io.siyu.platform.SiyuException;
import io.siyu.segment.Buyers;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recomputes RFM for every active customer with a counted order in the window: R = calendar days
 * (in the brand's time zone) since the last order, F = orders not fully refunded, M = spend net of
 * refunds. The per-customer totals come from the bitmap engine's in-memory orders when it is loaded
 * and has caught up with the event log, else from one aggregate over the orders table; the scores
 * are computed in memory and only the rows that differ from the stored ones are written, in one
 * transaction with the run, so readers see either the old run or the new one. Scores keep the date
 * of the last order rather than the days since it, so the next day's run rewrites only the
 * customers whose scores moved.
 */
@Service
class RfmService {

    private static final Logger LOG = LoggerFactory.getLogger(RfmService.class);

    static final Table<Record> CONFIG = table(name("rfm_config"));
    static final Field<Integer> WINDOW = field(name("window_days"), Integer.class);
    static final Table<Record> RUN = table(name("rfm_run"));
    static final Table<Record> RFM = table(name("customer_rfm"));
    static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);

    /** How long a run waits for the bitmap engine to catch up with the log before reading the database. */
    private static final Duration ENGINE_WAIT = Duration.ofSeconds(30);

    /** Where a run read the per-customer totals. */
    enum Source {
        /** The bitmap engine when it is ready, else the database. */
        AUTO,
        /** Always the orders table. */
        DATABASE
    }

    private final DSLContext db;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final AuditLog audit;
    private final LayerFollower layers;
    private final Buyers buyers;
    /** The rows as the last successful run left them (guarded by this), or null when they must be read. */
    private Stored stored;

    RfmService(DSLContext db, TransactionTemplate tx, BrandClock clock, AuditLog audit, LayerFollower layers,
            Buyers buyers) {
        this.db = db;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
        this.layers = layers;
        this.buyers = buyers;
    }

    /** What a run computed; {@code source} is {@code engine} or {@code database}, {@code written} the rows changed. */
    record RunSummary(long runId, int windowDays, OffsetDateTime asOf, int customers, BigDecimal avgRecencyDays,
            BigDecimal avgFrequency, BigDecimal avgMonetary, String source, int written, long millis) {
    }

    int windowDays() {
        return db.select(WINDOW).from(CONFIG).where(field(name("id")).eq(1)).fetchOne(WINDOW);
    }

    void setWindowDays(int days) {
        if (days < 7 || days > 3650) {
            throw SiyuException.invalid(List.of(io.siyu.platform.FieldProblem.of("/windowDays", "invalid-range",
                    "windowDays", 7, 3650)));
        }
        tx.executeWithoutResult(s -> {
            db.update(CONFIG).set(WINDOW, days).set(field(name("updated_at"), OffsetDateTime.class), clock.now())
                    .set(field(name("updated_by"), String.class), Actors.currentName()).where(field(name("id")).eq(1))
                    .execute();
            audit.record("rfm.settings", "rfm", "1", Map.of("windowDays", days));
        });
    }

    @Scheduled(cron = "${siyu.rfm.recompute-cron:0 40 2 * * *}", zone = "${siyu.time-zone:Asia/Shanghai}")
    void daily() throws InterruptedException {
        recompute(Source.AUTO, null);
    }

    RunSummary recompute() throws InterruptedException {
        return recompute(Source.AUTO, null);
    }

    /** One run; {@code job} (may be null) sees three steps: totals read, scored, written. */
    synchronized RunSummary recompute(Source source, JobContext job) throws InterruptedException {
        long started = System.nanoTime();
        OffsetDateTime startedAt = clock.now();
        // whole seconds, as the engine keeps order times: both sources then see the same window
        OffsetDateTime asOf = startedAt.truncatedTo(ChronoUnit.SECONDS);
        int window = windowDays();
        OffsetDateTime from = asOf.minusDays(window);
        if (job != null) {
            job.total(3);
        }
        Buyers.Totals totals = source == Source.AUTO ? buyers.inWindow(from, asOf, ENGINE_WAIT).orElse(null) : null;
        String readFrom = totals == null ? "database" : "engine";
        if (totals == null) {
            totals = aggregate(from, asOf);
        }
        long read = System.nanoTime();
        progress(job, 1);
        Stored next = score(totals, asOf);
        long scored = System.nanoTime();
        progress(job, 2);
        // the rows as this service last wrote them, unless a run it did not make came in between
        Long latestRun = db.select(org.jooq.impl.DSL.max(field(name("id"), Long.class))).from(RUN).fetchOne(0, Long.class);
        Stored previous = stored;
        stored = null;
        if (previous == null || latestRun == null || previous.runId != latestRun) {
            previous = read();
        }
        Stored old = previous;
        int[] written = new int[1];
        long runId = tx.execute(s -> {
            long id = db.insertInto(RUN)
                    .set(field(name("window_days"), Integer.class), window)
                    .set(field(name("as_of"), OffsetDateTime.class), asOf)
                    .set(field(name("customers"), Integer.class), next.size)
                    .set(field(name("avg_recency"), BigDecimal.class), decimal(next.avgRecency))
                    .set(field(name("avg_frequency"), BigDecimal.class), decimal(next.avgFrequency))
                    .set(field(name("avg_monetary"), BigDecimal.class), decimal(next.avgMonetary))
                    .set(field(name("started_at"), OffsetDateTime.class), startedAt)
                    .set(field(name("finished_at"), OffsetDateTime.class), clock.now())
                    .set(field(name("started_by"), String.class), Actors.currentName())
                    .returningResult(field(name("id"), Long.class)).fetchOne().value1();
            written[0] = write(old, next, id);
            return id;
        });
        next.runId = runId;
        stored = next;
        progress(job, 3);
        audit.record("rfm.recompute", "rfm", String.valueOf(runId), Map.of("customers", next.size, "windowDays", window,
                "source", readFrom, "written", written[0]));
        // layers whose rules read RFM follow the new scores
        layers.requestFull("rfm");
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("RFM run {}: {} customers from the {} in {} ms, scored in {} ms, {} rows written in {} ms; {} ms in all",
                runId, next.size, readFrom, (read - started) / 1_000_000, (scored - read) / 1_000_000, written[0],
                (System.nanoTime() - scored) / 1_000_000, millis);
        return new RunSummary(runId, window, clock.local(asOf), next.size, decimal(next.avgRecency),
                decimal(next.avgFrequency), decimal(next.avgMonetary), readFrom, written[0], millis);
    }

    private static void progress(JobContext job, long done) {
        if (job != null) {
            job.proceed(done);
        }
    }

    /**
     * The rows of customer_rfm, one array element per customer by ascending id: what a run computes
     * and what is stored. {@code segment} and {@code valueClass} index {@link RfmScheme#SEGMENTS} and
     * {@link RfmScheme#CLASSES}; {@code lastDay} is the epoch day of the last order in the brand's zone.
     */
    static final class Stored {
        final int size;
        final long[] ids;
        final int[] lastDay;
        final int[] frequency;
        final long[] cents;
        final byte[] r;
        final byte[] f;
        final byte[] m;
        final byte[] segment;
        final byte[] valueClass;
        double avgRecency;
        double avgFrequency;
        double avgMonetary;
        long runId;

        Stored(int size) {
            this.size = size;
            ids = new long[size];
            lastDay = new int[size];
            frequency = new int[size];
            cents = new long[size];
            r = new byte[size];
            f = new byte[size];
            m = new byte[size];
            segment = new byte[size];
            valueClass = new byte[size];
        }

        boolean sameRow(int i, Stored other, int j) {
            return lastDay[i] == other.lastDay[j] && frequency[i] == other.frequency[j] && cents[i] == other.cents[j]
                    && r[i] == other.r[j] && f[i] == other.f[j] && m[i] == other.m[j]
                    && segment[i] == other.segment[j] && valueClass[i] == other.valueClass[j];
        }
    }

    /** Scores the totals as of {@code asOf}. */
    Stored score(Buyers.Totals t, OffsetDateTime asOf) {
        int n = t.size();
        ZoneId zone = clock.zone();
        ZoneRules rules = zone.getRules();
        Integer fixed = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : null;
        long asOfDay = asOf.atZoneSameInstant(zone).toLocalDate().toEpochDay();
        Stored out = new Stored(n);
        double[] recency = new double[n];
        double[] freq = new double[n];
        double[] money = new double[n];
        for (int i = 0; i < n; i++) {
            long second = t.lastOrderSecond()[i];
            int offset = fixed != null ? fixed : rules.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds();
            long localDay = Math.floorDiv(second + offset, 86_400L);
            out.ids[i] = t.customerIds()[i];
            out.lastDay[i] = (int) localDay;
            out.frequency[i] = t.orders()[i];
            out.cents[i] = t.netCents()[i];
            recency[i] = asOfDay - localDay;
            freq[i] = t.orders()[i];
            money[i] = t.netCents()[i] / 100.0;
        }
        int[] rScore = RfmScheme.scores(recency, false);
        int[] fScore = RfmScheme.scores(freq, true);
        int[] mScore = RfmScheme.scores(money, true);
        out.avgRecency = average(recency);
        out.avgFrequency = average(freq);
        out.avgMonetary = average(money);
        for (int i = 0; i < n; i++) {
            out.r[i] = (byte) rScore[i];
            out.f[i] = (byte) fScore[i];
            out.m[i] = (byte) mScore[i];
            out.segment[i] = (byte) RfmScheme.segmentIndex(rScore[i], fScore[i], mScore[i]);
            out.valueClass[i] = (byte) RfmScheme.valueClassIndex(recency[i] < out.avgRecency,
                    freq[i] > out.avgFrequency, money[i] > out.avgMonetary);
        }
        return out;
    }

    private static final String AGGREGATE_SQL = "SELECT o.customer_id, max(o.ordered_at), "
            + "count(*) FILTER (WHERE o.status <> 'refunded'), sum(o.total - o.refunded_amount) FROM customer_order o "
            + "WHERE o.ordered_at >= ? AND o.ordered_at < ? "
            // erased customers keep their orders but are not scored (the engine holds active customers only)
            + "AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = o.customer_id AND c.status <> 'active') "
            + "GROUP BY o.customer_id "
            // a customer whose every order in the window was refunded bought nothing
            + "HAVING count(*) FILTER (WHERE o.status <> 'refunded') > 0 ORDER BY o.customer_id";

    /**
     * The per-customer totals over {@code [from, to]} (whole seconds) from the orders table, read with
     * plain JDBC into arrays. On PostgreSQL the index {@code ix_order_customer (customer_id, ordered_at)
     * INCLUDE (status, total, refunded_amount)} (V13_5) delivers the orders already grouped by customer,
     * so the aggregate is one index-only pass without a sort or a hash table; hash aggregation is turned
     * off for this transaction so that the planner does not trade it for a hash of 650k groups (several
     * times slower here), and rows are fetched in chunks.
     */
    private Buyers.Totals aggregate(OffsetDateTime from, OffsetDateTime to) {
        return tx.execute(s -> db.connectionResult(c -> {
            if (postgres()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL enable_hashagg = off");
                }
            }
            Buyers.Collector out = new Buyers.Collector();
            try (PreparedStatement ps = c.prepareStatement(AGGREGATE_SQL)) {
                ps.setFetchSize(50_000);
                ps.setObject(1, from);
                // the engine compares whole seconds: an order at 12:00:00.4 is "at or before 12:00:00"
                ps.setObject(2, to.plusSeconds(1));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        BigDecimal m = rs.getBigDecimal(4);
                        out.add(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toEpochSecond(), rs.getInt(3),
                                m == null ? 0 : m.movePointRight(2).longValueExact());
                    }
                }
            }
            return out.totals();
        }));
    }

    private static final String COLUMNS = "customer_id, last_order_on, frequency, monetary, r_score, f_score, m_score, "
            + "rfm_segment, value_class, run_id";

    /** The stored rows (the first run after a start, or after another writer's run). */
    private Stored read() {
        return tx.execute(s -> db.connectionResult(c -> {
            int n;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM customer_rfm")) {
                rs.next();
                n = rs.getInt(1);
            }
            Stored out = new Stored(n);
            int i = 0;
            // the date as an epoch day and the money in cents: numbers, not a LocalDate and a BigDecimal per row
            String epochDay = postgres() ? "last_order_on - DATE '1970-01-01'"
                    : "DATEDIFF(DAY, DATE '1970-01-01', last_order_on)";
            try (PreparedStatement ps = c.prepareStatement("SELECT customer_id, " + epochDay + ", frequency, "
                    + "CAST(monetary * 100 AS BIGINT), r_score, f_score, m_score, rfm_segment, value_class "
                    + "FROM customer_rfm ORDER BY customer_id")) {
                ps.setFetchSize(50_000);
                try (ResultSet rs = ps.executeQuery()) {
                    // the count and the rows are read in one transaction, but under READ COMMITTED only the
                    // single RFM writer (this synchronized service) could change them in between
                    while (rs.next() && i < n) {
                        out.ids[i] = rs.getLong(1);
                        out.lastDay[i] = rs.getInt(2);
                        out.frequency[i] = rs.getInt(3);
                        out.cents[i] = rs.getLong(4);
                        out.r[i] = (byte) rs.getInt(5);
                        out.f[i] = (byte) rs.getInt(6);
                        out.m[i] = (byte) rs.getInt(7);
                        out.segment[i] = (byte) RfmScheme.SEGMENTS.indexOf(rs.getString(8));
                        out.valueClass[i] = (byte) RfmScheme.CLASSES.indexOf(rs.getString(9));
                        i++;
                    }
                }
            }
            if (i < n) {
                return shrink(out, i);
            }
            return out;
        }));
    }

    private static Stored shrink(Stored s, int n) {
        Stored out = new Stored(n);
        System.arraycopy(s.ids, 0, out.ids, 0, n);
        System.arraycopy(s.lastDay, 0, out.lastDay, 0, n);
        System.arraycopy(s.frequency, 0, out.frequency, 0, n);
        System.arraycopy(s.cents, 0, out.cents, 0, n);
        System.arraycopy(s.r, 0, out.r, 0, n);
        System.arraycopy(s.f, 0, out.f, 0, n);
        System.arraycopy(s.m, 0, out.m, 0, n);
        System.arraycopy(s.segment, 0, out.segment, 0, n);
        System.arraycopy(s.valueClass, 0, out.valueClass, 0, n);
        return out;
    }

    /**
     * Applies the difference between {@code old} and {@code next} (both by ascending id): deletes the
     * customers no longer scored, upserts new and changed rows. Returns the number of rows touched.
     */
    private int write(Stored old, Stored next, long runId) {
        int[] changed = new int[next.size];
        int changes = 0;
        long[] gone = new long[old.size];
        int deletes = 0;
        int i = 0;
        int j = 0;
        while (i < next.size || j < old.size) {
            long a = i < next.size ? next.ids[i] : Long.MAX_VALUE;
            long b = j < old.size ? old.ids[j] : Long.MAX_VALUE;
            if (a == b) {
                if (!next.sameRow(i, old, j)) {
                    changed[changes++] = i;
                }
                i++;
                j++;
            } else if (a < b) {
                changed[changes++] = i++;
            } else {
                gone[deletes++] = b;
                j++;
            }
        }
        for (int from = 0; from < deletes; from += 10_000) {
            long[] chunk = Arrays.copyOfRange(gone, from, Math.min(deletes, from + 10_000));
            db.deleteFrom(RFM).where(CUSTOMER_ID.in(Arrays.stream(chunk).boxed().toList())).execute();
        }
        if (changes > 0) {
            if (postgres()) {
                copyUpsert(next, changed, changes, runId);
            } else {
                batchUpsert(next, changed, changes, runId);
            }
        }
        return changes + deletes;
    }

    /**
     * PostgreSQL: the new and changed rows go into a temporary table with one {@code COPY ... FROM
     * STDIN} (text format), then into customer_rfm with one {@code INSERT ... ON CONFLICT DO UPDATE}.
     */
    private void copyUpsert(Stored sc, int[] rows, int count, long runId) {
        db.connection(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMPORARY TABLE rfm_next (LIKE customer_rfm INCLUDING DEFAULTS) ON COMMIT DROP");
                CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY rfm_next (" + COLUMNS + ") FROM STDIN");
                try {
                    StringBuilder line = new StringBuilder(1 << 16);
                    for (int k = 0; k < count; k++) {
                        int i = rows[k];
                        // segment and class names are plain identifiers: nothing to escape in the text format
                        line.append(sc.ids[i]).append('\t').append(LocalDate.ofEpochDay(sc.lastDay[i])).append('\t')
                                .append(sc.frequency[i]).append('\t').append(BigDecimal.valueOf(sc.cents[i], 2).toPlainString())
                                .append('\t').append(sc.r[i]).append('\t').append(sc.f[i]).append('\t')
                                .append(sc.m[i]).append('\t').append(RfmScheme.SEGMENTS.get(sc.segment[i])).append('\t')
                                .append(RfmScheme.CLASSES.get(sc.valueClass[i])).append('\t').append(runId).append('\n');
                        if (line.length() > 60_000 || k == count - 1) {
                            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
                            in.writeToCopy(bytes, 0, bytes.length);
                            line.setLength(0);
                        }
                    }
                    in.endCopy();
                } finally {
                    if (in.isActive()) {
                        in.cancelCopy();
                    }
                }
                st.execute("INSERT INTO customer_rfm (" + COLUMNS + ") SELECT " + COLUMNS + " FROM rfm_next "
                        + "ON CONFLICT (customer_id) DO UPDATE SET last_order_on = EXCLUDED.last_order_on, "
                        + "frequency = EXCLUDED.frequency, monetary = EXCLUDED.monetary, r_score = EXCLUDED.r_score, "
                        + "f_score = EXCLUDED.f_score, m_score = EXCLUDED.m_score, rfm_segment = EXCLUDED.rfm_segment, "
                        + "value_class = EXCLUDED.value_class, run_id = EXCLUDED.run_id");
            }
        });
    }

    /** Other databases (H2): batches of 5,000 prepared upserts (MERGE). */
    private void batchUpsert(Stored sc, int[] rows, int count, long runId) {
        db.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO customer_rfm (" + COLUMNS + ") KEY (customer_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int k = 0; k < count; k++) {
                    int i = rows[k];
                    ps.setLong(1, sc.ids[i]);
                    ps.setObject(2, LocalDate.ofEpochDay(sc.lastDay[i]));
                    ps.setInt(3, sc.frequency[i]);
                    ps.setBigDecimal(4, BigDecimal.valueOf(sc.cents[i], 2));
                    ps.setInt(5, sc.r[i]);
                    ps.setInt(6, sc.f[i]);
                    ps.setInt(7, sc.m[i]);
                    ps.setString(8, RfmScheme.SEGMENTS.get(sc.segment[i]));
                    ps.setString(9, RfmScheme.CLASSES.get(sc.valueClass[i]));
                    ps.setLong(10, runId);
                    ps.addBatch();
                    if ((k + 1) % 5000 == 0 || k == count - 1) {
                        ps.executeBatch();
                    }
                }
            }
        });
    }

    private boolean postgres() {
        return db.dialect().family() == SQLDialect.POSTGRES;
    }

    private static double average(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    private static BigDecimal decimal(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP);
    }
}
