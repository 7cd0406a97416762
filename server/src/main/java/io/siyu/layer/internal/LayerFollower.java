package io.siyu.layer.internal;

import io.siyu.segment.SegmentRules;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps layers following behaviour. The segment engine tells us whose facts changed; we collect
 * them and re-evaluate every active policy for just those customers on our own thread (the
 * engine's listener must stay quick). A full pass runs daily, after each RFM run and when asked.
 */
@Component
class LayerFollower implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LayerFollower.class);

    private final LayerEvaluator evaluator;
    private final PolicyStore policies;
    private final Object signal = new Object();
    private RoaringBitmap pending = new RoaringBitmap();
    private String fullReason;
    private volatile boolean running;
    private volatile Thread worker;

    LayerFollower(LayerEvaluator evaluator, PolicyStore policies, SegmentRules rules) {
        this.evaluator = evaluator;
        this.policies = policies;
        rules.onCustomersChanged(this::changed);
    }

    void changed(RoaringBitmap customers) {
        synchronized (signal) {
            pending.or(customers);
            signal.notifyAll();
        }
    }

    /** Asks for a full pass over every active policy (on the follower's thread, soon). */
    void requestFull(String reason) {
        synchronized (signal) {
            fullReason = reason;
            signal.notifyAll();
        }
    }

    @Scheduled(cron = "${siyu.layer.evaluate-cron:0 10 3 * * *}", zone = "${siyu.time-zone:Asia/Shanghai}")
    void daily() {
        requestFull("daily");
    }

    private void run() {
        // a stop and a start (a paused test context restarting) hand over to a new worker
        while (running && Thread.currentThread() == worker) {
            RoaringBitmap batch;
            String full;
            synchronized (signal) {
                while (running && pending.isEmpty() && fullReason == null) {
                    try {
                        signal.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch = pending;
                pending = new RoaringBitmap();
                full = fullReason;
                fullReason = null;
            }
            for (long policyId : policies.activeIds()) {
                try {
                    if (full != null) {
                        var r = evaluator.evaluate(policyId, null, full, null);
                        LOG.info("Layer policy {} evaluated ({}): {} customers, {} moved in {} ms", policyId, full,
                                r.customers(), r.moved(), r.millis());
                    } else if (!batch.isEmpty()) {
                        evaluator.evaluate(policyId, batch, "behaviour", null);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Layer policy {} could not be evaluated; will retry with the next change", policyId, e);
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // assigned before it starts: the loop runs only while it is the current worker
        Thread t = Thread.ofPlatform().daemon().name("layer-follower").unstarted(this::run);
        worker = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return true;
    }
}
