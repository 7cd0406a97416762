package io.siyu.event.internal;

import io.siyu.event.EventConsumer;
import io.siyu.event.EventProcessing;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The background loop behind the log: sequence what committed, then let every consumer catch up.
 * Woken by appends, and every quarter second regardless (other instances append too). Rounds start
 * at least {@code siyu.events.pump-round-ms} apart (50 ms by default): under a steady stream of
 * appends a round then takes what arrived meanwhile as one batch, instead of one small batch per
 * commit, each with its own position lock, reads and commit. {@link #drain()} does not wait.
 */
@Component
class EventPump implements EventProcessing, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventPump.class);
    private static final long IDLE_MILLIS = 250;

    private final Sequencer sequencer;
    private final ConsumerRunner runner;
    private final List<EventConsumer> consumers;
    private final Wakeup wakeup;
    private final long roundNanos;
    private volatile Thread thread;

    EventPump(Sequencer sequencer, ConsumerRunner runner, List<EventConsumer> consumers, Wakeup wakeup,
            @Value("${siyu.events.pump-round-ms:50}") long roundMillis) {
        this.sequencer = sequencer;
        this.runner = runner;
        this.consumers = List.copyOf(consumers);
        this.wakeup = wakeup;
        this.roundNanos = Math.max(0, roundMillis) * 1_000_000;
    }

    /**
     * Runs until nothing is left to sequence or consume. Within one process the background loop and
     * callers of drain take turns (one monitor); another instance holding the log head or a consumer's
     * position only makes us wait and try again.
     */
    @Override
    public void drain() {
        for (int attempt = 0; ; attempt++) {
            try {
                pumpUntilIdle();
                return;
            } catch (org.springframework.dao.PessimisticLockingFailureException busy) {
                if (attempt >= 50) {
                    throw busy;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    private synchronized void pumpUntilIdle() {
        while (true) {
            int sequenced = 0;
            while (sequencer.sequenceOnce() > 0) {
                sequenced++;
            }
            int handled = 0;
            for (EventConsumer consumer : consumers) {
                while (runner.runOnce(consumer) > 0) {
                    handled++;
                }
            }
            if (sequenced == 0 && handled == 0) {
                return;
            }
        }
    }

    private void loop() {
        long lastRound = System.nanoTime() - roundNanos;
        while (thread == Thread.currentThread()) {
            try {
                wakeup.await(IDLE_MILLIS);
                long early = roundNanos - (System.nanoTime() - lastRound);
                if (early > 0) {
                    Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
                }
                lastRound = System.nanoTime();
                drain();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a failing consumer must not stop the others for good: log, back off, retry the batch
                log.warn("Event processing failed; retrying shortly", e);
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        Thread t = Thread.ofPlatform().daemon().name("siyu-event-pump").unstarted(this::loop);
        thread = t;
        t.start();
    }

    /**
     * Asks the loop to finish its round and waits for it. Never interrupts it: an interrupt during
     * file I/O closes H2's file channel and with it the embedded database.
     */
    @Override
    public void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            wakeup.wake();
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
