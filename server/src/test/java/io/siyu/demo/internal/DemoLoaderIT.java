package io.siyu.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.Customers;
import io.siyu.staff.StaffDirectory;
import io.siyu.testing.ApiTest;
import java.time.Clock;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo brand goes through real identity resolution: customers are created, merged and owned. */
class DemoLoaderIT extends ApiTest {

    @Autowired
    Customers customers;

    @Autowired
    StaffDirectory staff;

    @Autowired
    Clock clock;

    @Autowired
    DSLContext db;

    @Autowired
    io.siyu.event.EventLog eventLog;

    @Autowired
    io.siyu.event.Orders orders;

    @Autowired
    io.siyu.event.EventProcessing processing;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    @Test
    void loadsABelievableBrandThroughIdentityResolution() {
        int merges = db.fetchCount(DSL.table(DSL.name("customer_merge")));
        var summary = new DemoLoader(customers, staff, eventLog, orders, processing, tx, json, clock, true, 400, 99).load();
        assertThat(summary.touches()).isGreaterThan(400);
        assertThat(summary.created()).isGreaterThan(400);
        assertThat(summary.merged()).isPositive();
        assertThat(db.fetchCount(DSL.table(DSL.name("customer_merge")))).isEqualTo(merges + summary.merged());
        assertThat(db.fetchCount(DSL.table(DSL.name("customer_owner")))).isPositive();

        var list = admin().get("/api/v1/customers?source=pos&limit=5");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().at("/items").size()).isPositive();
        assertThat(list.str("/items/0/attributes/babyStage")).isNotBlank();
        assertThat(summary.events()).isGreaterThan(400);
        assertThat(summary.orders()).isGreaterThan(50);
        // buyers come back on the product's cycle: some customers have several orders
        assertThat(db.fetchCount(DSL.selectFrom(DSL.table(DSL.name("customer_aggregate")))
                .where(DSL.field(DSL.name("orders_count"), Integer.class).ge(3)))).isPositive();
    }
}
