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
    io.siyu.reach.ChannelRelations relations;

    @Autowired
    io.siyu.wecom.WecomGroups groups;

    @Autowired
    io.siyu.event.EventLog eventLog;

    @Autowired
    io.siyu.event.Tracking tracking;

    @Autowired
    io.siyu.security.WriteKeys writeKeys;

    @Autowired
    io.siyu.event.EventProcessing processing;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    @Test
    void loadsABelievableBrandThroughIdentityResolution() {
        int merges = db.fetchCount(DSL.table(DSL.name("customer_merge")));
        var summary = new DemoLoader(customers, staff, relations, groups, eventLog, tracking, writeKeys, processing, tx, json, clock, true, 400, 99)
                .load();
        assertThat(summary.touches()).isGreaterThan(400);
        assertThat(summary.created()).isGreaterThan(400);
        assertThat(summary.merged()).isPositive();
        assertThat(db.fetchCount(DSL.table(DSL.name("customer_merge")))).isEqualTo(merges + summary.merged());
        assertThat(db.fetchCount(DSL.table(DSL.name("customer_owner")))).isPositive();
        // WeCom touches through a staff member are friendships, official-account touches follows
        var channel = DSL.field(DSL.name("channel"), String.class);
        assertThat(db.fetchCount(DSL.table(DSL.name("channel_relation")), channel.eq("wecom_friend"))).isPositive();
        assertThat(db.fetchCount(DSL.table(DSL.name("channel_relation")), channel.eq("official_account"))).isPositive();
        // and the 育儿顾问 / 社群运营 run customer groups, listed like synced ones
        var group = admin().get("/api/v1/wecom/group-chats/wrDemoGroup1");
        assertThat(group.status()).as(group.toString()).isEqualTo(200);
        assertThat(group.body().at("/customers").asInt()).isPositive();
        assertThat(db.fetchCount(DSL.table(DSL.name("channel_relation")), channel.eq("wecom_group")
                .and(DSL.field(DSL.name("target"), String.class).eq("wrDemoGroup1"))))
                .isEqualTo(group.body().at("/customers").asInt());

        var list = admin().get("/api/v1/customers?source=pos&limit=5");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().at("/items").size()).isPositive();
        assertThat(list.str("/items/0/attributes/babyStage")).isNotBlank();
        assertThat(summary.events()).isGreaterThan(400);
        assertThat(summary.orders()).isGreaterThan(50);
        // behaviour and orders came through the tracking API: under the demo write key, each message id
        // claimed in the dedupe ledger, received when loaded rather than when it happened
        long demoKey = db.select(DSL.field(DSL.name("id"), Long.class)).from(DSL.table(DSL.name("write_key")))
                .where(DSL.field(DSL.name("name")).eq(DemoLoader.WRITE_KEY)).fetchOne(DSL.field(DSL.name("id"), Long.class));
        var sourceKey = DSL.field(DSL.name("source_key"), Long.class);
        var events = DSL.table(DSL.name("customer_event"));
        assertThat(db.fetchCount(events, sourceKey.eq(demoKey))).isEqualTo(summary.events());
        assertThat(db.fetchCount(DSL.table(DSL.name("event_claim")), sourceKey.eq(demoKey))).isEqualTo(summary.events());
        assertThat(db.fetchCount(events, sourceKey.eq(demoKey)
                .and(DSL.field(DSL.name("received_at"), java.time.OffsetDateTime.class)
                        .gt(DSL.field(DSL.name("occurred_at"), java.time.OffsetDateTime.class)))))
                .isEqualTo(summary.events());
        assertThat(db.fetchCount(events, sourceKey.eq(demoKey)
                .and(DSL.field(DSL.name("name")).eq("Order Completed")))).isEqualTo(summary.orders());
        // every order of the demo was recorded by the tracking path from its Order Completed event
        assertThat(db.fetchCount(DSL.table(DSL.name("customer_order")), DSL.field(DSL.name("order_id"), String.class)
                .like("D%-%"))).isEqualTo(summary.orders());
        // twelve months of behaviour and of orders
        var occurredAt = DSL.field(DSL.name("occurred_at"), java.time.OffsetDateTime.class);
        var eventSpan = db.select(DSL.min(occurredAt), DSL.max(occurredAt)).from(events).where(sourceKey.eq(demoKey))
                .fetchOne();
        assertThat(java.time.Duration.between(eventSpan.value1(), eventSpan.value2()).toDays()).isGreaterThanOrEqualTo(330);
        var orderedAt = DSL.field(DSL.name("ordered_at"), java.time.OffsetDateTime.class);
        var orderSpan = db.select(DSL.min(orderedAt), DSL.max(orderedAt)).from(DSL.table(DSL.name("customer_order")))
                .where(DSL.field(DSL.name("order_id"), String.class).like("D%-%")).fetchOne();
        assertThat(java.time.Duration.between(orderSpan.value1(), orderSpan.value2()).toDays()).isGreaterThanOrEqualTo(300);
        // buyers come back on the product's cycle: some customers have several orders
        assertThat(db.fetchCount(DSL.selectFrom(DSL.table(DSL.name("customer_aggregate")))
                .where(DSL.field(DSL.name("orders_count"), Integer.class).ge(3)))).isPositive();
    }
}
