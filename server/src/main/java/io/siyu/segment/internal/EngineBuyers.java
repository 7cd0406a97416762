package io.siyu.segment.internal;

import io.siyu.event.EventLog;
import io.siyu.segment.Buyers;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.roaringbitmap.IntIterator;
import org.springframework.stereotype.Component;

/** {@link Buyers} from the engine's {@link Facts.CustomerOrders}, after the engine has caught up with the log. */
@Component
class EngineBuyers implements Buyers {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineBuyers.class);

    private final SegmentEngine engine;
    private final EventLog log;

    EngineBuyers(SegmentEngine engine, EventLog log) {
        this.engine = engine;
        this.log = log;
    }

    @Override
    public Optional<Totals> inWindow(OffsetDateTime from, OffsetDateTime to, Duration wait) throws InterruptedException {
        if (!engine.ready()) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        long head = log.committedHead(wait);
        if (head < 0) {
            LOG.info("Order totals: events committed before the call were not numbered within {}", wait);
            return Optional.empty();
        }
        long numbered = System.nanoTime();
        if (!engine.awaitCatchUp(head, wait.minusNanos(numbered - started))) {
            LOG.info("Order totals: the engine did not catch up with offset {} within {} (at {}; numbering took {} ms)",
                    head, wait, engine.offset(), (numbered - started) / 1_000_000);
            return Optional.empty();
        }
        long caughtUp = System.nanoTime();
        long fromSecond = from.toEpochSecond();
        long toSecond = to.toEpochSecond();
        Optional<Totals> out = engine.withFacts(f -> totals(f, fromSecond, toSecond));
        LOG.debug("Order totals: numbered in {} ms, caught up with the log in {} ms, summed in {} ms",
                (numbered - started) / 1_000_000, (caughtUp - numbered) / 1_000_000, (System.nanoTime() - caughtUp) / 1_000_000);
        return out;
    }

    /** One pass over the active customers' orders. */
    static Totals totals(Facts f, long from, long to) {
        Collector out = new Collector();
        IntIterator it = f.active.getIntIterator();
        while (it.hasNext()) {
            int id = it.next();
            Facts.CustomerOrders o = id < f.orders.length ? f.orders[id] : null;
            if (o == null) {
                continue;
            }
            long latest = Long.MIN_VALUE;
            int counted = 0;
            long cents = 0;
            for (int i = 0; i < o.at().length; i++) {
                long at = o.at()[i];
                if (at >= from && at <= to) {
                    latest = Math.max(latest, at);
                    cents += o.netCents()[i];
                    if (o.counted()[i]) {
                        counted++;
                    }
                }
            }
            if (counted > 0) {
                out.add(id, latest, counted, cents);
            }
        }
        return out.totals();
    }
}
