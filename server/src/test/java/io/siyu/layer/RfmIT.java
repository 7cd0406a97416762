package io.siyu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.event.EventLog;
import io.siyu.event.Orders;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestOrders;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

class RfmIT extends ApiTest {

    @Autowired
    Customers customers;

    @Autowired
    Orders orders;

    @Autowired
    EventLog log;

    @Autowired
    TransactionTemplate tx;

    private long buyer(int ordersCount, int daysSinceLast, int amount) {
        long c = customers.identify(List.of(IdentityInput.of("anonymous_id", UUID.randomUUID().toString())),
                CustomerTraits.NONE).customerId();
        for (int i = 0; i < ordersCount; i++) {
            TestOrders.completed(tx, orders, log, c, "rfm-" + UUID.randomUUID(), BigDecimal.valueOf(amount),
                    OffsetDateTime.now().minusDays(daysSinceLast + i * 20L));
        }
        return c;
    }

    @Test
    void scoresSegmentsAndClassesFollowTheOrders() throws InterruptedException {
        long champion = buyer(12, 1, 5000);
        long lost = buyer(1, 300, 20);
        long newcomer = buyer(1, 0, 100);
        for (int i = 0; i < 20; i++) {
            buyer(1 + i % 4, 30 + i * 10, 100 + i * 30);
        }
        var started = admin().post("/api/v1/rfm/recompute", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.str("/kind")).isEqualTo("rfm-recompute");
        var job = admin().get("/api/v1/jobs/" + started.str("/id"));
        for (int i = 0; i < 300 && !job.str("/status").equals("succeeded"); i++) {
            assertThat(job.str("/status")).isIn("queued", "running");
            Thread.sleep(100);
            job = admin().get("/api/v1/jobs/" + started.str("/id"));
        }
        assertThat(job.str("/status")).isEqualTo("succeeded");
        assertThat(job.body().at("/result/customers").asInt()).isGreaterThanOrEqualTo(23);

        var best = admin().get("/api/v1/customers/" + champion + "/rfm");
        assertThat(best.status()).isEqualTo(200);
        assertThat(best.body().at("/rScore").asInt()).isEqualTo(5);
        assertThat(best.body().at("/fScore").asInt()).isEqualTo(5);
        assertThat(best.str("/segment")).isEqualTo("champions");
        assertThat(best.str("/valueClass")).isEqualTo("important_value");
        assertThat(best.str("/valueClassLabel")).isEqualTo("重要价值客户");
        assertThat(admin().lang("en").get("/api/v1/customers/" + champion + "/rfm").str("/segmentLabel")).isEqualTo("Champions");

        var worst = admin().get("/api/v1/customers/" + lost + "/rfm");
        assertThat(worst.body().at("/rScore").asInt()).isEqualTo(1);
        assertThat(worst.str("/valueClass")).isEqualTo("general_retain");
        assertThat(admin().get("/api/v1/customers/" + newcomer + "/rfm").body().at("/recencyDays").asInt()).isZero();

        var dist = admin().get("/api/v1/rfm/distribution");
        assertThat(dist.status()).isEqualTo(200);
        assertThat(dist.body().at("/segments").size()).isEqualTo(11);
        assertThat(dist.body().at("/classes").size()).isEqualTo(8);
        int total = 0;
        for (var s : dist.body().at("/segments")) {
            total += s.get("customers").asInt();
        }
        assertThat(total).isEqualTo(dist.body().at("/run/customers").asInt());
        assertThat(dist.body().at("/scores/r").size()).isEqualTo(5);

        long noOrders = customers.identify(List.of(IdentityInput.of("anonymous_id", UUID.randomUUID().toString())),
                CustomerTraits.NONE).customerId();
        assertThat(admin().get("/api/v1/customers/" + noOrders + "/rfm").str("/code")).isEqualTo("rfm-not-scored");
    }

    @Test
    void aLaterRunDropsCustomersLeavingTheWindowAndAddsNewOnes() throws InterruptedException {
        long leaving = buyer(2, 100, 300);
        long steady = buyer(3, 1, 800);
        assertThat(recompute()).isGreaterThanOrEqualTo(2);
        assertThat(admin().get("/api/v1/customers/" + leaving + "/rfm").status()).isEqualTo(200);
        long arriving = buyer(1, 0, 50);
        try {
            assertThat(admin().put("/api/v1/rfm/settings", Map.of("windowDays", 30)).status()).isEqualTo(200);
            int scored = recompute();
            assertThat(admin().get("/api/v1/customers/" + leaving + "/rfm").str("/code")).isEqualTo("rfm-not-scored");
            assertThat(admin().get("/api/v1/customers/" + steady + "/rfm").body().at("/frequency").asInt()).isEqualTo(2);
            assertThat(admin().get("/api/v1/customers/" + arriving + "/rfm").body().at("/recencyDays").asInt()).isZero();
            int total = 0;
            for (var s : admin().get("/api/v1/rfm/distribution").body().at("/segments")) {
                total += s.get("customers").asInt();
            }
            assertThat(total).isEqualTo(scored);
        } finally {
            admin().put("/api/v1/rfm/settings", Map.of("windowDays", 365));
        }
    }

    /** Runs the recompute job to its end; the number of customers it scored. */
    private int recompute() throws InterruptedException {
        var started = admin().post("/api/v1/rfm/recompute", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        var job = admin().get("/api/v1/jobs/" + started.str("/id"));
        for (int i = 0; i < 300 && !job.str("/status").equals("succeeded"); i++) {
            assertThat(job.str("/status")).isIn("queued", "running");
            Thread.sleep(100);
            job = admin().get("/api/v1/jobs/" + started.str("/id"));
        }
        assertThat(job.str("/status")).isEqualTo("succeeded");
        return job.body().at("/result/customers").asInt();
    }

    @Test
    void theWindowIsConfigurableAndValidated() {
        assertThat(admin().put("/api/v1/rfm/settings", Map.of("windowDays", 3)).str("/code")).isEqualTo("invalid-range");
        assertThat(admin().put("/api/v1/rfm/settings", Map.of("windowDays", 180)).body().at("/windowDays").asInt())
                .isEqualTo(180);
        assertThat(admin().get("/api/v1/rfm/settings").body().at("/windowDays").asInt()).isEqualTo(180);
        assertThat(admin().put("/api/v1/rfm/settings", Map.of("windowDays", 365)).status()).isEqualTo(200);
    }
}
