package io.siyu.event.internal.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** By message type: looked up once, not for every message. */
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
    private final Counter duplicate;

    TrackingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duplicate = registry.counter(DUPLICATE);
    }

    void accepted(String type) {
        accepted.computeIfAbsent(type, t -> registry.counter(ACCEPTED, "type", t)).increment();
    }

    void duplicate() {
        duplicate.increment();
    }

    void rejected(String code) {
        registry.counter(REJECTED, "code", code).increment();
    }
}
