package io.siyu.event.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** A nudge from writers to the background pump: new events committed, come and look. */
@Component
class Wakeup {

    private final Semaphore signal = new Semaphore(0);

    void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    /** Waits for a nudge or the timeout, whichever comes first. */
    void await(long millis) throws InterruptedException {
        signal.tryAcquire(millis, TimeUnit.MILLISECONDS);
        signal.drainPermits();
    }
}
