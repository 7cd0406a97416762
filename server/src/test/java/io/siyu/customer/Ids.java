package io.siyu.customer;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Unique identity values for tests that share one database. */
final class Ids {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 10_000_000);

    private Ids() {
    }

    /** A valid, unique mainland mobile number in national form (139xxxxxxxx). */
    static String phone() {
        long n = SEQ.incrementAndGet() % 100_000_000L;
        return "139" + String.format("%08d", n);
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet() + "-" + ThreadLocalRandom.current().nextInt(1000);
    }

    static Map<String, Object> id(String type, String value) {
        return Map.of("type", type, "value", value);
    }

    static Map<String, Object> id(String type, String value, String appId) {
        return Map.of("type", type, "value", value, "appId", appId);
    }
}
