package io.siyu.event.internal;

import static io.siyu.event.internal.EventTables.P;

import io.siyu.event.EventConsumer;
import io.siyu.event.LoggedEvent;
import io.siyu.platform.BrandClock;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Feeds consumers their next batch. The consumer's position row is locked for the batch, so one
 * instance at a time handles a consumer, and the batch and the new position commit together.
 */
@Component
class ConsumerRunner {

    static final int BATCH = 1000;

    private final DSLContext db;
    private final EventStore log;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Each consumer's position as last seen committed by this instance. */
    private final java.util.Map<String, Long> committed = new java.util.concurrent.ConcurrentHashMap<>();

    ConsumerRunner(DSLContext db, EventStore log, TransactionTemplate tx, BrandClock clock) {
        this.db = db;
        this.log = log;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Hands the consumer its next batch; returns how many events it handled. A consumer known to be at
     * the log's head is not locked at all: its position only grows, so when the committed head is not
     * past the last position this instance saw committed, there is nothing to hand out — one read of
     * the head row instead of a transaction that locks the position row (a WAL record and a commit to
     * flush) for nothing, which every round of the pump paid after its last batch.
     */
    int runOnce(EventConsumer consumer) {
        ensurePosition(consumer.name());
        Long seen = committed.get(consumer.name());
        if (seen != null && log.headOffset() <= seen) {
            return 0;
        }
        long[] position = {-1};
        Integer n = tx.execute(status -> {
            position[0] = lockPosition(consumer.name());
            List<LoggedEvent> batch = consumer.readsPayload() ? log.read(position[0], BATCH)
                    : log.readWithoutPayload(position[0], BATCH);
            if (batch.isEmpty()) {
                return 0;
            }
            consumer.handle(batch);
            position[0] = batch.getLast().offset();
            db.update(P.T).set(P.POSITION, position[0]).set(P.UPDATED_AT, clock.now())
                    .where(P.NAME.eq(consumer.name())).execute();
            return batch.size();
        });
        // remembered only once committed (a rolled-back batch throws before this)
        committed.merge(consumer.name(), position[0], Math::max);
        return n == null ? 0 : n;
    }

    /** The consumer's position, locked until the caller's transaction ends. */
    long lockPosition(String name) {
        return db.select(P.POSITION).from(P.T).where(P.NAME.eq(name)).forUpdate().fetchOne(P.POSITION);
    }

    long position(String name) {
        ensurePosition(name);
        return db.select(P.POSITION).from(P.T).where(P.NAME.eq(name)).fetchOne(P.POSITION);
    }

    void ensurePosition(String name) {
        if (known.contains(name)) {
            return;
        }
        if (!db.fetchExists(db.selectOne().from(P.T).where(P.NAME.eq(name)))) {
            try {
                tx.executeWithoutResult(s -> db.insertInto(P.T).set(P.NAME, name).set(P.POSITION, 0L)
                        .set(P.UPDATED_AT, clock.now()).execute());
            } catch (DuplicateKeyException another) {
                // another instance registered it first
            }
        }
        // positions are never deleted: once there, it stays
        known.add(name);
    }
}
