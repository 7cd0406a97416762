package io.siyu.layer.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.compliance.AuditLog;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.SiyuException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
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
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recomputes RFM for every customer with an order in the window: R = days since the last order,
 * F = orders (not fully refunded), M = spend net of refunds. Reads one aggregate row per customer
 * from the orders table, scores in memory, and replaces the previous scores in one transaction, so
 * readers see either the old run or the new one (on PostgreSQL the new rows go in with {@code COPY},
 * elsewhere with batched inserts).
 */
@Service
class RfmService {

    static final Table<Record> CONFIG = table(name("rfm_config"));
    static final Field<Integer> WINDOW = field(name("window_days"), Integer.class);
    static final Table<Record> RUN = table(name("rfm_run"));
    static final Table<Record> RFM = table(name("customer_rfm"));


    private final DSLContext db;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final AuditLog audit;
    private final LayerFollower layers;

    RfmService(DSLContext db, TransactionTemplate tx, BrandClock clock, AuditLog audit, LayerFollower layers) {
        this.db = db;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
        this.layers = layers;
    }

    /** What a run computed. */
    record RunSummary(long runId, int windowDays, OffsetDateTime asOf, int customers, BigDecimal avgRecencyDays,
            BigDecimal avgFrequency, BigDecimal avgMonetary, long millis) {
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
    void daily() {
        recompute();
    }

    RunSummary recompute() {
        long started = System.nanoTime();
        OffsetDateTime startedAt = clock.now();
        OffsetDateTime asOf = startedAt;
        int window = windowDays();
        Aggregates a = aggregate(asOf.minusDays(window), asOf);
        int n = a.size;
        long[] ids = a.ids;
        double[] recency = new double[n];
        double[] freq = new double[n];
        double[] money = new double[n];
        for (int i = 0; i < n; i++) {
            recency[i] = Duration.between(a.last[i], asOf).toDays();
            freq[i] = a.frequency[i];
            money[i] = a.monetary[i].doubleValue();
        }
        int[] rScore = RfmScheme.scores(recency, false);
        int[] fScore = RfmScheme.scores(freq, true);
        int[] mScore = RfmScheme.scores(money, true);
        double avgR = average(recency);
        double avgF = average(freq);
        double avgM = average(money);
        String[] segment = new String[n];
        String[] valueClass = new String[n];
        for (int i = 0; i < n; i++) {
            segment[i] = RfmScheme.segment(rScore[i], fScore[i], mScore[i]);
            valueClass[i] = RfmScheme.valueClass(recency[i] < avgR, freq[i] > avgF, money[i] > avgM);
        }
        Long runId = tx.execute(s -> {
            long id = db.insertInto(RUN)
                    .set(field(name("window_days"), Integer.class), window)
                    .set(field(name("as_of"), OffsetDateTime.class), asOf)
                    .set(field(name("customers"), Integer.class), n)
                    .set(field(name("avg_recency"), BigDecimal.class), decimal(avgR))
                    .set(field(name("avg_frequency"), BigDecimal.class), decimal(avgF))
                    .set(field(name("avg_monetary"), BigDecimal.class), decimal(avgM))
                    .set(field(name("started_at"), OffsetDateTime.class), startedAt)
                    .set(field(name("finished_at"), OffsetDateTime.class), clock.now())
                    .set(field(name("started_by"), String.class), Actors.currentName())
                    .returningResult(field(name("id"), Long.class)).fetchOne().value1();
            Scores scores = new Scores(n, ids, recency, a.frequency, a.monetary, rScore, fScore, mScore, segment,
                    valueClass, id);
            if (postgres()) {
                writeChanges(scores);
            } else {
                db.deleteFrom(RFM).execute();
                batchInsert(scores);
            }
            return id;
        });
        audit.record("rfm.recompute", "rfm", String.valueOf(runId), Map.of("customers", n, "windowDays", window));
        // layers whose rules read RFM follow the new scores
        layers.requestFull("rfm");
        return new RunSummary(runId, window, clock.local(asOf), n, decimal(avgR), decimal(avgF), decimal(avgM),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** One row per customer with a counted order in the window, by customer id. */
    private record Aggregates(int size, long[] ids, OffsetDateTime[] last, int[] frequency, BigDecimal[] monetary) {
    }

    /** What is written to customer_rfm, one array element per customer. */
    private record Scores(int size, long[] ids, double[] recency, int[] frequency, BigDecimal[] monetary, int[] r,
            int[] f, int[] m, String[] segment, String[] valueClass, long runId) {
    }

    private static final String AGGREGATE_SQL = "SELECT customer_id, max(ordered_at), "
            + "count(*) FILTER (WHERE status <> 'refunded'), sum(total - refunded_amount) FROM customer_order "
            + "WHERE ordered_at >= ? AND ordered_at <= ? GROUP BY customer_id "
            // a customer whose every order in the window was refunded bought nothing
            + "HAVING count(*) FILTER (WHERE status <> 'refunded') > 0 ORDER BY customer_id";

    /**
     * The per-customer aggregate over the window, read with plain JDBC into arrays (no record per row).
     * On PostgreSQL the index {@code ix_order_customer (customer_id, ordered_at) INCLUDE (status, total,
     * refunded_amount)} (V13_5) delivers the orders already grouped by customer, so the aggregate is one
     * index-only pass without a sort or a hash table; hash aggregation is turned off for this transaction
     * so that the planner does not trade it for a hash of 650k groups (several times slower here), and
     * rows are fetched in chunks.
     */
    private Aggregates aggregate(OffsetDateTime from, OffsetDateTime to) {
        return tx.execute(s -> db.connectionResult(c -> {
            if (postgres()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL enable_hashagg = off");
                }
            }
            int capacity = 1 << 16;
            long[] ids = new long[capacity];
            OffsetDateTime[] last = new OffsetDateTime[capacity];
            int[] frequency = new int[capacity];
            BigDecimal[] monetary = new BigDecimal[capacity];
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement(AGGREGATE_SQL)) {
                ps.setFetchSize(50_000);
                ps.setObject(1, from);
                ps.setObject(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n == ids.length) {
                            capacity = n * 2;
                            ids = Arrays.copyOf(ids, capacity);
                            last = Arrays.copyOf(last, capacity);
                            frequency = Arrays.copyOf(frequency, capacity);
                            monetary = Arrays.copyOf(monetary, capacity);
                        }
                        ids[n] = rs.getLong(1);
                        last[n] = rs.getObject(2, OffsetDateTime.class);
                        frequency[n] = rs.getInt(3);
                        BigDecimal m = rs.getBigDecimal(4);
                        monetary[n] = m == null ? BigDecimal.ZERO : m;
                        n++;
                    }
                }
            }
            return new Aggregates(n, Arrays.copyOf(ids, n), Arrays.copyOf(last, n), Arrays.copyOf(frequency, n),
                    Arrays.copyOf(monetary, n));
        }));
    }

    private boolean postgres() {
        return db.dialect().family() == SQLDialect.POSTGRES;
    }

    private static final String COLUMNS = "customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, "
            + "rfm_segment, value_class, run_id";

    /**
     * PostgreSQL: the new scores go into a temporary table with one {@code COPY ... FROM STDIN} (text
     * format), then only the differences are applied: customers no longer scored are deleted, rows whose
     * values changed are updated, new customers inserted. Rewriting every row each run (delete all, insert
     * all) was most of the job's time: each insert checks the primary key against the row just deleted
     * and every run left 650k dead rows behind for vacuum.
     */
    private void writeChanges(Scores sc) {
        db.connection(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMPORARY TABLE rfm_next (LIKE customer_rfm INCLUDING DEFAULTS) ON COMMIT DROP");
                CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY rfm_next (" + COLUMNS + ") FROM STDIN");
                try {
                    StringBuilder line = new StringBuilder(1 << 16);
                    for (int i = 0; i < sc.size(); i++) {
                        // segment and class names are plain identifiers: nothing to escape in the text format
                        line.append(sc.ids()[i]).append('\t').append((int) sc.recency()[i]).append('\t')
                                .append(sc.frequency()[i]).append('\t').append(sc.monetary()[i].toPlainString())
                                .append('\t').append(sc.r()[i]).append('\t').append(sc.f()[i]).append('\t')
                                .append(sc.m()[i]).append('\t').append(sc.segment()[i]).append('\t')
                                .append(sc.valueClass()[i]).append('\t').append(sc.runId()).append('\n');
                        if (line.length() > 60_000 || i == sc.size() - 1) {
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
                st.execute("ANALYZE rfm_next");
                st.execute("DELETE FROM customer_rfm r WHERE NOT EXISTS "
                        + "(SELECT 1 FROM rfm_next n WHERE n.customer_id = r.customer_id)");
                st.execute("UPDATE customer_rfm r SET recency_days = n.recency_days, frequency = n.frequency, "
                        + "monetary = n.monetary, r_score = n.r_score, f_score = n.f_score, m_score = n.m_score, "
                        + "rfm_segment = n.rfm_segment, value_class = n.value_class, run_id = n.run_id "
                        + "FROM rfm_next n WHERE n.customer_id = r.customer_id AND (r.recency_days, r.frequency, "
                        + "r.monetary, r.r_score, r.f_score, r.m_score, r.rfm_segment, r.value_class) IS DISTINCT FROM "
                        + "(n.recency_days, n.frequency, n.monetary, n.r_score, n.f_score, n.m_score, n.rfm_segment, "
                        + "n.value_class)");
                st.execute("INSERT INTO customer_rfm (" + COLUMNS + ") SELECT " + COLUMNS + " FROM rfm_next n "
                        + "WHERE NOT EXISTS (SELECT 1 FROM customer_rfm r WHERE r.customer_id = n.customer_id)");
            }
        });
    }

    /** Other databases (H2): batches of 5,000 prepared inserts. */
    private void batchInsert(Scores sc) {
        var insert = newBatch();
        for (int i = 0; i < sc.size(); i++) {
            insert = insert.bind(sc.ids()[i], (int) sc.recency()[i], sc.frequency()[i], sc.monetary()[i], sc.r()[i],
                    sc.f()[i], sc.m()[i], sc.segment()[i], sc.valueClass()[i], sc.runId());
            if ((i + 1) % 5000 == 0) {
                insert.execute();
                insert = newBatch();
            }
        }
        if (sc.size() % 5000 != 0) {
            insert.execute();
        }
    }

    /** One prepared insert into customer_rfm, bound once per customer. */
    private org.jooq.BatchBindStep newBatch() {
        return db.batch(db.insertInto(RFM, field(name("customer_id"), Long.class),
                field(name("recency_days"), Integer.class), field(name("frequency"), Integer.class),
                field(name("monetary"), BigDecimal.class), field(name("r_score"), Integer.class),
                field(name("f_score"), Integer.class), field(name("m_score"), Integer.class),
                field(name("rfm_segment"), String.class), field(name("value_class"), String.class),
                field(name("run_id"), Long.class))
                .values((Long) null, null, null, null, null, null, null, null, null, null));
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
