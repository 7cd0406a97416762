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

    ConsumerRunner(DSLContext db, EventStore log, TransactionTemplate tx, BrandClock clock) {
        this.db = db;
        this.log = log;
        this.tx = tx;
        this.clock = clock;
    }

    /** Hands the consumer its next batch; returns how many events it handled. */
    int runOnce(EventConsumer consumer) {
        ensurePosition(consumer.name());
        Integer n = tx.execute(status -> {
            long position = lockPosition(consumer.name());
            List<LoggedEvent> batch = consumer.readsPayload() ? log.read(position, BATCH)
                    : log.readWithoutPayload(position, BATCH);
            if (batch.isEmpty()) {
                return 0;
            }
            consumer.handle(batch);
            db.update(P.T).set(P.POSITION, batch.getLast().offset()).set(P.UPDATED_AT, clock.now())
                    .where(P.NAME.eq(consumer.name())).execute();
            return batch.size();
        });
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
