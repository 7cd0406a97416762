package io.siyu.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class OfferChunksTest {

    @Test
    void chunksCoverEveryIdOnceInOrderAndAreBounded() {
        RoaringBitmap ids = new RoaringBitmap();
        for (int i = 1; i <= 50_001; i++) {
            ids.add(i * 3);
        }
        ids.add(5_000_000);
        List<RoaringBitmap> chunks = SegmentEngine.chunks(ids, 20_000);
        assertThat(chunks).hasSize(3);
        assertThat(chunks).allSatisfy(c -> assertThat(c.getCardinality()).isLessThanOrEqualTo(20_000));
        RoaringBitmap union = new RoaringBitmap();
        int last = -1;
        for (RoaringBitmap c : chunks) {
            assertThat(RoaringBitmap.and(union, c).isEmpty()).isTrue();
            assertThat(c.first()).isGreaterThan(last);
            last = c.last();
            union.or(c);
        }
        assertThat(union).isEqualTo(ids);
        assertThat(SegmentEngine.chunks(new RoaringBitmap(), 10)).isEmpty();
        assertThat(SegmentEngine.chunks(RoaringBitmap.bitmapOf(7), 10)).containsExactly(RoaringBitmap.bitmapOf(7));
    }
}
