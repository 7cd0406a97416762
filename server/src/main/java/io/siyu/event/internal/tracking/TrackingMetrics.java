package io.siyu.event.internal.tracking;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counters of the tracking API: messages stored (by type), acknowledged duplicates, and rejections
 * by problem code, so that a sender with a broken integration shows up on a dashboard.
 */
@Component
class TrackingMetrics {

    static final String ACCEPTED = "siyu.tracking.accepted";
    static final String DUPLICATE = "siyu.tracking.duplicate";
    static final String REJECTED = "siyu.tracking.rejected";

    private final MeterRegistry registry;

    TrackingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(String type) {
        registry.counter(ACCEPTED, "type", type).increment();
    }

    void duplicate() {
        registry.counter(DUPLICATE).increment();
    }

    void rejected(String code) {
        registry.counter(REJECTED, "code", code).increment();
    }
}
