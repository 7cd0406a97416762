package io.siyu.demo.internal;

import io.siyu.demo.DemoPerson;
import java.time.OffsetDateTime;

/** Opens the generator to {@link io.siyu.demo.DemoData} without making its internals public. */
public final class DemoPeople {

    private final DemoBrand brand;

    public DemoPeople(long seed, int count, OffsetDateTime end) {
        this.brand = new DemoBrand(seed, count, end);
    }

    public DemoPerson person(int index) {
        return brand.resolved(index);
    }
}
