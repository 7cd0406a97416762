package io.siyu.layer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.event.EventLog;
import io.siyu.event.NewEvent;
import io.siyu.event.Orders;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestOrders;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * RFM read from the segment engine's in-memory orders and RFM read from the orders table store the
 * same rows, and a run that finds nothing changed writes nothing.
 */
class RfmSourcesIT extends ApiTest {

    @Autowired
    RfmService rfm;

    @Autowired
    Customers customers;

    @Autowired
    Orders orders;

    @Autowired
    EventLog log;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DSLContext db;

    @Autowired
    io.siyu.segment.SegmentRules rules;

    /**
     * Waits until the bitmap engine's RFM facts (read incrementally after each run) say what the
     * table says: for every score 1..5 of R, F and M, the same customers.
     */
    private void awaitEngineAgrees() throws InterruptedException {
        String last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            last = null;
            for (String score : List.of("r_score", "f_score", "m_score")) {
                for (int v = 1; v <= 5 && last == null; v++) {
                    var rule = rules.parse(json.readTree("{\"rfm\":\"" + score + "\",\"op\":\"eq\",\"value\":" + v + "}"), "");
                    java.util.Set<Long> engine = new java.util.TreeSet<>();
                    rules.members(rule).forEach((int id) -> engine.add((long) id));
                    java.util.Set<Long> table = new java.util.TreeSet<>(db.fetch("SELECT r.customer_id FROM customer_rfm r "
                            + "JOIN customer c ON c.id = r.customer_id WHERE c.status = 'active' AND r." + score + " = " + v)
                            .getValues(0, Long.class));
                    if (!engine.equals(table)) {
                        last = score + "=" + v + ": engine " + engine + " table " + table;
                    }
                }
            }
            if (last == null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the engine's RFM facts did not follow the table: " + last);
    }

    private long customer() {
        return customers.identify(List.of(IdentityInput.of("anonymous_id", UUID.randomUUID().toString())),
                CustomerTraits.NONE).customerId();
    }

    private void order(long customerId, String orderId, String amount, OffsetDateTime at) {
        TestOrders.completed(tx, orders, log, customerId, orderId, new BigDecimal(amount), at);
    }

    private void refund(long customerId, String orderId, String amount) {
        tx.executeWithoutResult(s -> {
            orders.recordRefund(orderId, amount == null ? null : new BigDecimal(amount), OffsetDateTime.now());
            log.append(List.of(new NewEvent(customerId, "track", "Order Refunded", null, null, OffsetDateTime.now(),
                    OffsetDateTime.now(), false, "{\"order_id\":\"" + orderId + "\"}", null)));
        });
    }

    /** Every stored row but its run id, by customer. */
    private Map<Long, List<Object>> stored() {
        Map<Long, List<Object>> rows = new TreeMap<>();
        db.fetch("SELECT customer_id, last_order_on, frequency, monetary, r_score, f_score, m_score, rfm_segment, "
                + "value_class FROM customer_rfm").forEach(r -> {
                    List<Object> values = new ArrayList<>();
                    for (int i = 1; i < r.size(); i++) {
                        values.add(r.get(i) instanceof BigDecimal b ? b.stripTrailingZeros() : r.get(i));
                    }
                    rows.put(r.get(0, Long.class), values);
                });
        return rows;
    }

    /** Runs until the engine answered (it loads in the background after the context starts). */
    private RfmService.RunSummary fromEngine() throws InterruptedException {
        RfmService.RunSummary run = rfm.recompute(RfmService.Source.AUTO, null);
        for (int i = 0; i < 100 && !run.source().equals("engine"); i++) {
            Thread.sleep(200);
            run = rfm.recompute(RfmService.Source.AUTO, null);
        }
        assertThat(run.source()).isEqualTo("engine");
        return run;
    }

    @Test
    void theEngineAndTheOrdersTableGiveTheSameScores() throws InterruptedException {
        Random random = new Random(42);
        OffsetDateTime now = OffsetDateTime.now();
        List<Long> buyers = new ArrayList<>();
        for (int c = 0; c < 60; c++) {
            long id = customer();
            buyers.add(id);
            int n = 1 + random.nextInt(5);
            for (int k = 0; k < n; k++) {
                String orderId = "src-" + UUID.randomUUID();
                // some orders fall outside the 365-day window, some at fractions of a second
                order(id, orderId, (10 + random.nextInt(2000)) + "." + random.nextInt(10) + random.nextInt(10),
                        now.minusDays(random.nextInt(420)).minusNanos(random.nextInt(1_000_000_000)));
                int refund = random.nextInt(10);
                if (refund == 0) {
                    refund(id, orderId, null);
                } else if (refund == 1) {
                    refund(id, orderId, "5.50");
                }
            }
        }
        // an erased buyer is not scored by either
        long erased = buyers.get(7);
        assertThat(admin().delete("/api/v1/customers/" + erased).status()).isEqualTo(204);

        RfmService.RunSummary engine = fromEngine();
        Map<Long, List<Object>> fromEngine = stored();
        assertThat(fromEngine).doesNotContainKey(erased);
        assertThat(fromEngine.keySet()).containsAnyElementsOf(buyers);

        RfmService.RunSummary database = rfm.recompute(RfmService.Source.DATABASE, null);
        assertThat(database.source()).isEqualTo("database");
        assertThat(database.customers()).isEqualTo(engine.customers());
        assertThat(stored()).isEqualTo(fromEngine);
        // same day, same orders: nothing to write
        assertThat(database.written()).isZero();

        // one more order moves that customer's row (and maybe others' scores), not everyone's
        long buyer = buyers.get(3);
        int before = fromEngine.containsKey(buyer) ? (Integer) fromEngine.get(buyer).get(1) : 0;
        order(buyer, "src-" + UUID.randomUUID(), "88.00", now);
        RfmService.RunSummary after = fromEngine();
        assertThat(after.written()).isBetween(1, after.customers());
        assertThat(stored().get(buyer).get(1)).isEqualTo(before + 1);
        assertThat(rfm.recompute(RfmService.Source.DATABASE, null).written()).isZero();
        awaitEngineAgrees();

        // a shorter window drops customers: the engine drops their scores too
        int everyone = after.customers();
        try {
            rfm.setWindowDays(30);
            RfmService.RunSummary shorter = fromEngine();
            assertThat(shorter.customers()).isLessThan(everyone);
            assertThat(rfm.recompute(RfmService.Source.DATABASE, null).written()).isZero();
            awaitEngineAgrees();
        } finally {
            rfm.setWindowDays(365);
        }
        fromEngine();
        awaitEngineAgrees();

        // after a run this service did not make (another instance), it reads the stored rows back to diff
        // against: read correctly, they differ in nothing
        db.execute("INSERT INTO rfm_run (window_days, as_of, customers, started_at, finished_at, started_by) "
                + "VALUES (365, CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'elsewhere')");
        Map<Long, List<Object>> asStored = stored();
        assertThat(rfm.recompute(RfmService.Source.DATABASE, null).written()).isZero();
        assertThat(stored()).isEqualTo(asStored);
    }
}
