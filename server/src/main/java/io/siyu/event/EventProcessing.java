package io.siyu.event;

/**
 * Control over the background work behind the log: handing out offsets and running consumers.
 * It runs by itself; {@link #drain()} is for setup code and tests that must see it finished.
 */
public interface EventProcessing {

    /** Sequences every committed event and runs every consumer until it has caught up. */
    void drain();
}
