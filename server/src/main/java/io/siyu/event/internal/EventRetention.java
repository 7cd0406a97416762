package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.E;

import io.siyu.platform.BrandClock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the event table in shape. On PostgreSQL it creates the monthly partitions (the past
 * {@code siyu.events.partitions-behind-months} and the next {@code partitions-ahead-months}),
 * moving any rows the default partition caught for such a month into it; and it applies retention
 * ({@code siyu.events.retention-months}, 0 = keep forever) by dropping whole partitions. On H2 it
 * deletes expired rows. Runs at start (before demo data) and daily.
 */
@Component
@Order(1)
class EventRetention implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("uuuu_MM");
    private static final long LOCK_KEY = 727_001L;

    private final DSLContext db;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final int behind;
    private final int ahead;
    private final int retentionMonths;

    EventRetention(DSLContext db, TransactionTemplate tx, BrandClock clock,
            @Value("${siyu.events.partitions-behind-months:13}") int behind,
            @Value("${siyu.events.partitions-ahead-months:3}") int ahead,
            @Value("${siyu.events.retention-months:0}") int retentionMonths) {
        this.db = db;
        this.tx = tx;
        this.clock = clock;
        this.behind = behind;
        this.ahead = ahead;
        this.retentionMonths = retentionMonths;
    }

    @Override
    public void run(ApplicationArguments args) {
        maintain();
    }

    @Scheduled(cron = "${siyu.events.maintenance-cron:0 20 3 * * *}", zone = "${siyu.time-zone:Asia/Shanghai}")
    void maintain() {
        YearMonth now = YearMonth.from(clock.now().atZoneSameInstant(clock.zone()));
        if (postgres()) {
            for (int m = -behind; m <= ahead; m++) {
                ensurePartition(now.plusMonths(m));
            }
        }
        if (retentionMonths > 0) {
            expire(now.minusMonths(retentionMonths));
        }
    }

    private boolean postgres() {
        return db.dialect().family() == SQLDialect.POSTGRES;
    }

    private OffsetDateTime start(YearMonth month) {
        return month.atDay(1).atStartOfDay(clock.zone()).toOffsetDateTime();
    }

    static String partitionName(YearMonth month) {
        return "customer_event_" + month.format(SUFFIX);
    }

    /** Creates the month's partition unless it exists, taking over rows the default partition holds for it. */
    void ensurePartition(YearMonth month) {
        String name = partitionName(month);
        tx.executeWithoutResult(s -> {
            db.fetch("select pg_advisory_xact_lock(?)", LOCK_KEY);
            if (!db.fetch("select 1 from pg_class where relname = ?", name).isEmpty()) {
                return;
            }
            String from = start(month).toString();
            String to = start(month.plusMonths(1)).toString();
            db.execute("create table " + name + " (like customer_event including defaults including constraints)");
            int moved = db.execute("insert into " + name + " select * from customer_event_default"
                    + " where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz", from, to);
            db.execute("delete from customer_event_default where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz",
                    from, to);
            db.execute("alter table customer_event attach partition " + name + " for values from ('" + from + "') to ('"
                    + to + "')");
            if (moved > 0) {
                log.info("Event log: created partition {} and moved {} events into it", name, moved);
            }
        });
    }

    /** Drops (PostgreSQL) or deletes (H2) every event that occurred before {@code firstKept}. */
    void expire(YearMonth firstKept) {
        OffsetDateTime cutoff = start(firstKept);
        tx.executeWithoutResult(s -> {
            if (postgres()) {
                db.fetch("select pg_advisory_xact_lock(?)", LOCK_KEY);
                for (String partition : partitionsBefore(firstKept)) {
                    db.execute("drop table " + partition);
                    log.info("Event log: retention dropped partition {}", partition);
                }
                db.execute("delete from customer_event_default where occurred_at < ?::timestamptz", cutoff.toString());
            } else {
                int n = db.deleteFrom(E.T).where(E.OCCURRED_AT.lt(cutoff)).execute();
                if (n > 0) {
                    log.info("Event log: retention deleted {} events before {}", n, cutoff);
                }
            }
        });
    }

    private List<String> partitionsBefore(YearMonth firstKept) {
        List<String> out = new ArrayList<>();
        for (String name : db.fetch("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " join pg_class p on p.oid = i.inhparent where p.relname = 'customer_event'").getValues(0, String.class)) {
            if (name.matches("customer_event_\\d{4}_\\d{2}")
                    && YearMonth.parse(name.substring(15), SUFFIX).isBefore(firstKept)) {
                out.add(name);
            }
        }
        return out;
    }
}
