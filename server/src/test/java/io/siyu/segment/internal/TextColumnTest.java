package io.siyu.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class TextColumnTest {

    private static BitSet codes(Facts.TextColumn col, String... values) {
        BitSet b = new BitSet();
        for (String v : values) {
            Integer c = col.dictionary.get(v);
            if (c != null) {
                b.set(c);
            }
        }
        return b;
    }

    @Test
    void valuesCanBeChangedAndClearedAndTheIndexFollows() {
        Facts.TextColumn col = new Facts.TextColumn(8);
        col.set(1, "上海");
        col.set(2, "杭州");
        col.set(3, "上海");
        col.set(3, "北京");
        col.clear(2);
        col.set(2, null);
        col.grow(16);
        col.set(12, "上海");
        RoaringBitmap everyone = RoaringBitmap.bitmapOf(1, 2, 3, 4, 12);
        assertThat(col.get(3)).isEqualTo("北京");
        assertThat(col.get(2)).isNull();
        assertThat(col.present.toArray()).containsExactly(1, 3, 12);
        assertThat(col.holding(codes(col, "上海"), everyone).toArray()).containsExactly(1, 12);
        assertThat(col.holding(codes(col, "上海", "北京"), RoaringBitmap.bitmapOf(3, 12)).toArray()).containsExactly(3, 12);
        assertThat(col.holding(col.codesWhere(s -> s.startsWith("杭")), everyone).isEmpty()).isTrue();
    }

    @Test
    void aColumnWithManyValuesDropsItsIndexAndStillAnswers() {
        int n = Facts.TextColumn.INDEXED_VALUES + 10;
        Facts.TextColumn col = new Facts.TextColumn(n + 1);
        RoaringBitmap everyone = new RoaringBitmap();
        for (int id = 1; id <= n; id++) {
            col.set(id, "name-" + (id % (n - 5)));
            everyone.add(id);
        }
        assertThat(col.holders).isNull();
        col.set(7, "name-1");
        assertThat(col.holding(codes(col, "name-1"), everyone).toArray()).containsExactly(1, 7, n - 4);
        assertThat(col.holding(col.codesWhere(s -> s.endsWith("-3")), everyone).toArray()).containsExactly(3, n - 2);
    }
}
