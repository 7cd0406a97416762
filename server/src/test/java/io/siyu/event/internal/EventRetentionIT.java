package io.siyu.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.event.EventLog;
import io.siyu.event.EventProcessing;
import io.siyu.event.NewEvent;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestDatabase;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

class EventRetentionIT extends ApiTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    EventRetention retention;

    @Autowired
    EventLog log;

    @Autowired
    EventProcessing processing;

    @Autowired
    Customers customers;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DSLContext db;

    private long eventAt(long customerId, OffsetDateTime at) {
        tx.executeWithoutResult(s -> log.append(List.of(new NewEvent(customerId, "track", "Old Thing", null, null, at, at,
                false, null, null))));
        return customerId;
    }

    private String partitionOf(long customerId) {
        return db.fetchValue("select tableoid::regclass::text from customer_event where customer_id = ?", customerId)
                .toString();
    }

    @Test
    void monthlyPartitionsTakeOverEventsAndRetentionDropsOldMonths() {
        long c = customers.identify(List.of(IdentityInput.of("anonymous_id", UUID.randomUUID().toString())),
                CustomerTraits.NONE).customerId();
        YearMonth old = YearMonth.now(SHANGHAI).minusMonths(30);
        OffsetDateTime at = old.atDay(15).atStartOfDay(SHANGHAI).toOffsetDateTime();
        eventAt(c, at);
        eventAt(c, OffsetDateTime.now());
        processing.drain();

        if (TestDatabase.isPostgres()) {
            // this month's partition exists from start; the old event waits in the default partition
            assertThat(db.fetch("select 1 from pg_class where relname = ?",
                    EventRetention.partitionName(YearMonth.now(SHANGHAI))).isNotEmpty()).isTrue();
            assertThat(db.fetchValue("select count(*) from customer_event_default where customer_id = ?", c))
                    .isEqualTo(1L);
            retention.ensurePartition(old);
            assertThat(db.fetchValue("select count(*) from " + EventRetention.partitionName(old)
                    + " where customer_id = ?", c)).isEqualTo(1L);
            assertThat(db.fetchValue("select count(*) from customer_event_default where customer_id = ?", c))
                    .isEqualTo(0L);
        }
        assertThat(admin().get("/api/v1/customers/" + c + "/events").body().at("/items").size()).isEqualTo(2);

        retention.expire(old.plusMonths(1));
        assertThat(admin().get("/api/v1/customers/" + c + "/events").body().at("/items").size()).isEqualTo(1);
        if (TestDatabase.isPostgres()) {
            assertThat(db.fetch("select 1 from pg_class where relname = ?", EventRetention.partitionName(old)).isEmpty())
                    .isTrue();
        }
    }
}
