package io.siyu.demo.internal;

import io.siyu.customer.Customers;
import io.siyu.customer.Resolution;
import io.siyu.staff.StaffDirectory;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads the demo brand on first start ({@code siyu.demo.enabled}, set by {@code ./siyu start}
 * unless {@code --no-demo}) into an empty database, through the same identity resolution that
 * real channels use, so merges and conflicts in the demo are real ones.
 */
@Component
@Order(10)
class DemoLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

    private final Customers customers;
    private final StaffDirectory staff;
    private final Clock clock;
    private final boolean enabled;
    private final int size;
    private final long seed;

    DemoLoader(Customers customers, StaffDirectory staff, Clock clock,
            @Value("${siyu.demo.enabled:false}") boolean enabled,
            @Value("${siyu.demo.customers:20000}") int size,
            @Value("${siyu.demo.seed:20261125}") long seed) {
        this.customers = customers;
        this.staff = staff;
        this.clock = clock;
        this.enabled = enabled;
        this.size = size;
        this.seed = seed;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) {
            return;
        }
        if (customers.hasCustomers()) {
            log.info("Demo data: the database already has customers; nothing loaded");
            return;
        }
        load();
    }

    /** Loads the demo brand and returns what happened. */
    DemoSummary load() {
        long started = System.nanoTime();
        log.info("Demo data: loading a mother-and-baby brand with {} people (seed {})...", size, seed);
        customers.ensureAttribute("babyStage", "string", "宝宝阶段", "Baby stage", "newest");
        customers.ensureAttribute("babyBirthday", "date", "宝宝生日", "Baby's birthday", "newest");
        customers.ensureAttribute("preferredStore", "string", "常去门店", "Preferred store", "newest");
        long[] staffIds = new long[DemoBrand.STAFF.length];
        for (int i = 0; i < staffIds.length; i++) {
            staffIds[i] = staff.add(DemoBrand.STAFF[i][0], DemoBrand.STAFF[i][1], "demo_staff_" + (i + 1));
        }
        List<DemoBrand.Touch> touches = new DemoBrand(seed, size, DemoBrand.defaultEnd(clock)).touches();
        int created = 0;
        int merged = 0;
        int conflicts = 0;
        int done = 0;
        for (DemoBrand.Touch t : touches) {
            Resolution r = customers.identify(t.identities(), t.traits(), t.at());
            created += r.created() ? 1 : 0;
            merged += r.mergedCustomerIds().size();
            conflicts += r.conflicts().size();
            if (t.staff() >= 0 && staff.ownerOf(r.customerId()).isEmpty()) {
                staff.assignOwner(r.customerId(), staffIds[t.staff()], t.at());
            }
            if (++done % 5000 == 0) {
                log.info("Demo data: {}/{} channel touches", done, touches.size());
            }
        }
        DemoSummary summary = new DemoSummary(touches.size(), created, merged, conflicts,
                (System.nanoTime() - started) / 1_000_000);
        log.info("Demo data loaded: {} touches, {} customers created, {} merged away, {} identity conflicts for review, "
                + "in {} ms", summary.touches(), summary.created(), summary.merged(), summary.conflicts(), summary.millis());
        return summary;
    }

    record DemoSummary(int touches, int created, int merged, int conflicts, long millis) {
    }
}
