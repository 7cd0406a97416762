package io.siyu.event.internal;

import io.siyu.event.EventConsumer;
import io.siyu.event.LoggedEvent;
import java.util.List;
import org.springframework.stereotype.Component;

/** The first consumer of the log: keeps the per-customer aggregates current. */
@Component
class AggregatesConsumer implements EventConsumer {

    static final String NAME = "customer-aggregates";

    private final Aggregates aggregates;

    AggregatesConsumer(Aggregates aggregates) {
        this.aggregates = aggregates;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean readsPayload() {
        return false;
    }

    @Override
    public void handle(List<LoggedEvent> batch) {
        aggregates.apply(batch);
    }
}
