package io.siyu.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.segment.SegmentRules;
import io.siyu.testing.ApiTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.beans.factory.annotation.Autowired;

/** The hourly re-check hands every active customer to the listeners without reloading the facts. */
class SegmentEngineRecheckIT extends ApiTest {

    @Autowired
    SegmentEngine engine;

    @Autowired
    SegmentRules rules;

    @Test
    void aRecheckOffersEveryActiveCustomerToTheListeners() throws Exception {
        String id = admin().post("/api/v1/customers/identify", Map.of("identities",
                List.of(Map.of("type", "anonymous_id", "value", UUID.randomUUID().toString())))).str("/customerId");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!engine.ready() || !engine.withFacts(f -> f.active.contains(Integer.parseInt(id))).orElse(false)) {
            assertThat(System.nanoTime()).as("the engine to know the customer").isLessThan(deadline);
            engine.catchUp();
            Thread.sleep(100);
        }
        List<RoaringBitmap> seen = new CopyOnWriteArrayList<>();
        rules.onCustomersChanged(seen::add);
        long loads = engine.loadCount();
        engine.recheckAll();
        RoaringBitmap offered = new RoaringBitmap();
        seen.forEach(offered::or);
        assertThat(offered.contains(Integer.parseInt(id))).isTrue();
        assertThat(offered.getCardinality()).as("everyone, possibly in chunks")
                .isEqualTo(engine.withFacts(f -> f.active.getCardinality()).orElseThrow());
        assertThat(seen).allSatisfy(b -> assertThat(b.getCardinality()).isLessThanOrEqualTo(SegmentEngine.OFFER_CHUNK));
        assertThat(engine.loadCount()).as("no facts were reloaded").isEqualTo(loads);
    }
}
