package io.siyu.layer.internal;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.table;

import io.siyu.compliance.AuditLog;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.SiyuException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recomputes RFM for every customer with an order in the window: R = days since the last order,
 * F = orders (not fully refunded), M = spend net of refunds. Reads one aggregate row per customer
 * from the orders table, scores in memory, and replaces the previous scores in one transaction, so
 * readers see either the old run or the new one.
 */
@Service
class RfmService {

    static final Table<Record> CONFIG = table(name("rfm_config"));
    static final Field<Integer> WINDOW = field(name("window_days"), Integer.class);
    static final Table<Record> RUN = table(name("rfm_run"));
    static final Table<Record> RFM = table(name("customer_rfm"));

    private static final Table<Record> ORDERS = table(name("customer_order"));
    private static final Field<Long> O_CUSTOMER = field(name("customer_id"), Long.class);
    private static final Field<String> O_STATUS = field(name("status"), String.class);
    private static final Field<BigDecimal> O_TOTAL = field(name("total"), BigDecimal.class);
    private static final Field<BigDecimal> O_REFUNDED = field(name("refunded_amount"), BigDecimal.class);
    private static final Field<OffsetDateTime> O_AT = field(name("ordered_at"), OffsetDateTime.class);

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
        Field<Integer> frequency = count().filterWhere(O_STATUS.ne("refunded"));
        Field<BigDecimal> monetary = sum(O_TOTAL.minus(O_REFUNDED));
        Field<OffsetDateTime> last = max(O_AT);
        var rows = db.select(O_CUSTOMER, last, frequency, monetary).from(ORDERS)
                .where(O_AT.ge(asOf.minusDays(window))).and(O_AT.le(asOf))
                .groupBy(O_CUSTOMER)
                // a customer whose every order in the window was refunded bought nothing
                .having(frequency.gt(0))
                .orderBy(O_CUSTOMER).fetch();
        int n = rows.size();
        long[] ids = new long[n];
        double[] recency = new double[n];
        double[] freq = new double[n];
        double[] money = new double[n];
        BigDecimal[] moneyExact = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            var r = rows.get(i);
            ids[i] = r.value1();
            recency[i] = Duration.between(r.value2(), asOf).toDays();
            freq[i] = r.value3();
            moneyExact[i] = r.value4() == null ? BigDecimal.ZERO : r.value4();
            money[i] = moneyExact[i].doubleValue();
        }
        int[] rScore = RfmScheme.scores(recency, false);
        int[] fScore = RfmScheme.scores(freq, true);
        int[] mScore = RfmScheme.scores(money, true);
        double avgR = average(recency);
        double avgF = average(freq);
        double avgM = average(money);
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
            db.deleteFrom(RFM).execute();
            var insert = newBatch();
            for (int i = 0; i < n; i++) {
                insert = insert.bind(ids[i], (int) recency[i], (int) freq[i], moneyExact[i], rScore[i], fScore[i],
                        mScore[i], RfmScheme.segment(rScore[i], fScore[i], mScore[i]),
                        RfmScheme.valueClass(recency[i] < avgR, freq[i] > avgF, money[i] > avgM), id);
                if ((i + 1) % 5000 == 0) {
                    insert.execute();
                    insert = newBatch();
                }
            }
            if (n % 5000 != 0) {
                insert.execute();
            }
            return id;
        });
        audit.record("rfm.recompute", "rfm", String.valueOf(runId), Map.of("customers", n, "windowDays", window));
        // layers whose rules read RFM follow the new scores
        layers.requestFull("rfm");
        return new RunSummary(runId, window, clock.local(asOf), n, decimal(avgR), decimal(avgF), decimal(avgM),
                (System.nanoTime() - started) / 1_000_000);
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
