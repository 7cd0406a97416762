package io.siyu.segment.internal;

import io.siyu.segment.Rule.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * What the bitmap engine knows about every customer, column by column, indexed by customer id:
 * sets (tags, identity types, channel relations, layers) as compressed bitmaps, scalar fields as arrays,
 * daily event counts and orders as small per-customer arrays. Not thread-safe; the engine guards it.
 */
final class Facts {

    static final int NO_DAY = Integer.MIN_VALUE;
    static final long NO_TIME = Long.MIN_VALUE;
    static final List<String> STRING_FIELDS = List.of("display_name", "nickname", "gender", "province", "city", "source");
    static final List<String> TIME_FIELDS = List.of("created_at", "first_seen", "last_seen", "last_interaction");

    int capacity;
    final RoaringBitmap active = new RoaringBitmap();
    final Map<String, TextColumn> strings = new HashMap<>();
    int[] birthday;
    final Map<String, long[]> times = new HashMap<>();
    final Map<String, Column> custom = new HashMap<>();
    final Map<Long, RoaringBitmap> tags = new HashMap<>();
    /** Per event name, per customer: (epochDay << 32 | count), ascending by day. */
    final Map<String, long[][]> events = new HashMap<>();
    /** Per event series with property filters, per customer: packed like {@link #events}. */
    final Map<EventSeries, long[][]> series = new HashMap<>();
    CustomerOrders[] orders;
    String[] rfmSegment;
    String[] rfmClass;
    byte[] rScore;
    byte[] fScore;
    byte[] mScore;
    /** Per channel, per target (staff id, chat id, app id): who is reachable there. */
    final Map<String, Map<String, RoaringBitmap>> reach = new HashMap<>();
    final Map<String, RoaringBitmap> identities = new HashMap<>();
    final Map<Long, RoaringBitmap> layers = new HashMap<>();
    final Map<Long, RoaringBitmap> staticSegments = new HashMap<>();
    /** Product, SKU and category texts as small ints. */
    final Map<String, Integer> codes = new HashMap<>();
    long rfmRun;

    Facts(int capacity) {
        this.capacity = Math.max(capacity, 1024);
        for (String f : STRING_FIELDS) {
            strings.put(f, new TextColumn(this.capacity));
        }
        for (String f : TIME_FIELDS) {
            times.put(f, filled(new long[this.capacity], NO_TIME));
        }
        birthday = filled(new int[this.capacity], NO_DAY);
        orders = new CustomerOrders[this.capacity];
        rfmSegment = new String[this.capacity];
        rfmClass = new String[this.capacity];
        rScore = new byte[this.capacity];
        fScore = new byte[this.capacity];
        mScore = new byte[this.capacity];
    }

    /** Who is reachable on the channel through {@code target}, or through any target when it is null. */
    RoaringBitmap reach(String channel, String target) {
        Map<String, RoaringBitmap> byTarget = reach.getOrDefault(channel, Map.of());
        if (target != null) {
            return byTarget.get(target);
        }
        return org.roaringbitmap.FastAggregation.or(byTarget.values().iterator());
    }

    void addReach(int id, String channel, String target) {
        reach.computeIfAbsent(channel, c -> new HashMap<>()).computeIfAbsent(target, t -> new RoaringBitmap()).add(id);
    }

    /**
     * A text column, dictionary-encoded: a code per customer (0 = no value) and, while the column
     * has at most {@value #INDEXED_VALUES} distinct values, a bitmap of the holders of each value,
     * so equality and membership are bitmap operations. Codes are never reused; a full reload
     * starts a fresh dictionary.
     */
    static final class TextColumn {
        static final int INDEXED_VALUES = 4096;
        final Map<String, Integer> dictionary = new HashMap<>();
        final List<String> values = new ArrayList<>(List.of(""));
        int[] codes;
        /** Holders per code (index 0 unused), or null once the column has too many values. */
        List<RoaringBitmap> holders = new ArrayList<>(java.util.Collections.singletonList(null));
        final RoaringBitmap present = new RoaringBitmap();

        TextColumn(int capacity) {
            codes = new int[capacity];
        }

        void grow(int capacity) {
            codes = Arrays.copyOf(codes, capacity);
        }

        String get(int id) {
            int c = codes[id];
            return c == 0 ? null : values.get(c);
        }

        void set(int id, String value) {
            clear(id);
            if (value == null) {
                return;
            }
            Integer code = dictionary.get(value);
            if (code == null) {
                code = values.size();
                dictionary.put(value, code);
                values.add(value);
                if (holders != null) {
                    holders = values.size() - 1 > INDEXED_VALUES ? null : holders;
                    if (holders != null) {
                        holders.add(new RoaringBitmap());
                    }
                }
            }
            codes[id] = code;
            present.add(id);
            if (holders != null) {
                holders.get(code).add(id);
            }
        }

        void clear(int id) {
            int c = codes[id];
            if (c != 0) {
                codes[id] = 0;
                present.remove(id);
                if (holders != null) {
                    holders.get(c).remove(id);
                }
            }
        }

        /** The codes whose text passes the test, as a bitset over codes. */
        java.util.BitSet codesWhere(java.util.function.Predicate<String> test) {
            java.util.BitSet out = new java.util.BitSet(values.size());
            for (int c = 1; c < values.size(); c++) {
                if (test.test(values.get(c))) {
                    out.set(c);
                }
            }
            return out;
        }

        /** Customers in {@code universe} holding one of the codes. */
        RoaringBitmap holding(java.util.BitSet wanted, RoaringBitmap universe) {
            if (holders != null && wanted.cardinality() <= 64) {
                RoaringBitmap any = new RoaringBitmap();
                wanted.stream().forEach(c -> any.or(holders.get(c)));
                return RoaringBitmap.and(universe, any);
            }
            RoaringBitmapWriter<RoaringBitmap> out = RoaringBitmapWriter.writer().get();
            universe.forEach((int id) -> {
                if (wanted.get(codes[id])) {
                    out.add(id);
                }
            });
            return out.get();
        }

        long bytes() {
            long b = 4L * codes.length + present.getLongSizeInBytes() + 64L * values.size();
            if (holders != null) {
                for (RoaringBitmap h : holders) {
                    b += h == null ? 0 : h.getLongSizeInBytes();
                }
            }
            return b;
        }
    }

    /** A custom attribute column; only the array of its type is used. */
    static final class Column {
        final ValueType type;
        TextColumn text;
        double[] number;
        byte[] bool; // 0 none, 1 false, 2 true
        int[] day;
        final RoaringBitmap present = new RoaringBitmap();

        Column(ValueType type, int capacity) {
            this.type = type;
            switch (type) {
                case STRING -> text = new TextColumn(capacity);
                case NUMBER -> number = new double[capacity];
                case BOOLEAN -> bool = new byte[capacity];
                default -> day = filled(new int[capacity], NO_DAY);
            }
        }

        void grow(int capacity) {
            if (text != null) {
                text.grow(capacity);
            }
            if (number != null) {
                number = Arrays.copyOf(number, capacity);
            }
            if (bool != null) {
                bool = Arrays.copyOf(bool, capacity);
            }
            if (day != null) {
                int old = day.length;
                day = Arrays.copyOf(day, capacity);
                Arrays.fill(day, old, capacity, NO_DAY);
            }
        }

        void clear(int id) {
            present.remove(id);
            if (text != null) {
                text.clear(id);
            }
            if (bool != null) {
                bool[id] = 0;
            }
            if (day != null) {
                day[id] = NO_DAY;
            }
        }
    }

    /** One customer's orders (fully refunded ones included, flagged) and their lines. */
    record CustomerOrders(long[] at, long[] netCents, boolean[] counted, int[] lineOrder, int[] product, int[] sku,
            int[] category, long lastCounted) {

        /** The orders and lines; {@code lastCounted} is the time of the last counted order, or NO_TIME. */
        static CustomerOrders of(long[] at, long[] netCents, boolean[] counted, int[] lineOrder, int[] product,
                int[] sku, int[] category) {
            long last = NO_TIME;
            for (int i = 0; i < at.length; i++) {
                if (counted[i]) {
                    last = Math.max(last, at[i]);
                }
            }
            return new CustomerOrders(at, netCents, counted, lineOrder, product, sku, category, last);
        }
    }

    int code(String text) {
        return codes.computeIfAbsent(text, t -> codes.size() + 1);
    }

    /** The code of a text, or 0 when no order line ever had it. */
    int codeOrZero(String text) {
        return codes.getOrDefault(text, 0);
    }

    Column column(String name, ValueType type) {
        return custom.computeIfAbsent(name, n -> new Column(type, capacity));
    }

    /** Makes room for customer id {@code id}. */
    void ensure(long id) {
        if (id >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("customer id " + id + " is beyond the bitmap engine's range");
        }
        if (id < capacity) {
            return;
        }
        int grown = capacity;
        while (grown <= id) {
            grown = (int) Math.min((long) grown * 2, Integer.MAX_VALUE - 8);
        }
        final int next = grown;
        final int old = capacity;
        capacity = next;
        strings.values().forEach(c -> c.grow(next));
        times.replaceAll((k, a) -> {
            long[] b = Arrays.copyOf(a, next);
            Arrays.fill(b, old, next, NO_TIME);
            return b;
        });
        birthday = Arrays.copyOf(birthday, next);
        Arrays.fill(birthday, old, next, NO_DAY);
        custom.values().forEach(c -> c.grow(next));
        events.replaceAll((k, a) -> Arrays.copyOf(a, next));
        series.replaceAll((k, a) -> Arrays.copyOf(a, next));
        orders = Arrays.copyOf(orders, next);
        rfmSegment = Arrays.copyOf(rfmSegment, next);
        rfmClass = Arrays.copyOf(rfmClass, next);
        rScore = Arrays.copyOf(rScore, next);
        fScore = Arrays.copyOf(fScore, next);
        mScore = Arrays.copyOf(mScore, next);
    }

    /**
     * Adds one event to a customer's daily count under {@code key} on {@code epochDay}, as the
     * aggregates consumer adds it to the stored counts.
     */
    void count(int id, String key, long epochDay) {
        long[][] column = eventColumn(key);
        long[] days = column[id];
        if (days == null) {
            column[id] = new long[] {(epochDay << 32) | 1L};
            return;
        }
        int lo = 0;
        int hi = days.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long day = days[mid] >> 32;
            if (day < epochDay) {
                lo = mid + 1;
            } else if (day > epochDay) {
                hi = mid - 1;
            } else {
                days[mid]++;
                return;
            }
        }
        long[] grown = new long[days.length + 1];
        System.arraycopy(days, 0, grown, 0, lo);
        grown[lo] = (epochDay << 32) | 1L;
        System.arraycopy(days, lo, grown, lo + 1, days.length - lo);
        column[id] = grown;
    }

    /** Moves a customer's first/last seen (and, for an event of their own, last interaction) to take in {@code at}. */
    void seen(int id, long at, boolean system) {
        long[] first = times.get("first_seen");
        if (first[id] == NO_TIME || at < first[id]) {
            first[id] = at;
        }
        long[] last = times.get("last_seen");
        if (last[id] == NO_TIME || at > last[id]) {
            last[id] = at;
        }
        if (!system) {
            long[] interaction = times.get("last_interaction");
            if (interaction[id] == NO_TIME || at > interaction[id]) {
                interaction[id] = at;
            }
        }
    }

    long[][] eventColumn(String name) {
        return events.computeIfAbsent(name, n -> new long[capacity][]);
    }

    /** Forgets everything about the customers (before their facts are loaded again). */
    void clear(RoaringBitmap ids) {
        active.andNot(ids);
        tags.values().forEach(b -> b.andNot(ids));
        identities.values().forEach(b -> b.andNot(ids));
        layers.values().forEach(b -> b.andNot(ids));
        reach.values().forEach(m -> m.values().forEach(b -> b.andNot(ids)));
        for (int id : ids) {
            if (id >= capacity) {
                continue;
            }
            strings.values().forEach(c -> c.clear(id));
            times.values().forEach(a -> a[id] = NO_TIME);
            birthday[id] = NO_DAY;
            custom.values().forEach(c -> c.clear(id));
            events.values().forEach(a -> a[id] = null);
            series.values().forEach(a -> a[id] = null);
            orders[id] = null;
            clearRfm(id);
        }
    }

    void clearRfm(int id) {
        rfmSegment[id] = null;
        rfmClass[id] = null;
        rScore[id] = 0;
        fScore[id] = 0;
        mScore[id] = 0;
    }

    /** Rough size of the engine's data in bytes, for the memory report. */
    long approximateBytes() {
        long bytes = active.getLongSizeInBytes();
        bytes += (long) capacity * (8L * TIME_FIELDS.size() + 4 + 8 + 8 + 8 + 3);
        for (TextColumn t : strings.values()) {
            bytes += t.bytes();
        }
        for (Column c : custom.values()) {
            bytes += c.text != null ? c.text.bytes() : (long) capacity * (c.type == ValueType.NUMBER ? 8
                    : c.type == ValueType.BOOLEAN ? 1 : 4) + c.present.getLongSizeInBytes();
        }
        for (RoaringBitmap b : tags.values()) {
            bytes += b.getLongSizeInBytes();
        }
        for (Map<String, RoaringBitmap> m : reach.values()) {
            for (RoaringBitmap b : m.values()) {
                bytes += b.getLongSizeInBytes();
            }
        }
        for (RoaringBitmap b : identities.values()) {
            bytes += b.getLongSizeInBytes();
        }
        for (RoaringBitmap b : layers.values()) {
            bytes += b.getLongSizeInBytes();
        }
        List<long[][]> columns = new ArrayList<>(events.values());
        columns.addAll(series.values());
        for (long[][] col : columns) {
            bytes += 8L * capacity;
            for (long[] a : col) {
                if (a != null) {
                    bytes += 16 + 8L * a.length;
                }
            }
        }
        for (CustomerOrders o : orders) {
            if (o != null) {
                bytes += 16 + 7 * 16 + 17L * o.at().length + 16L * o.lineOrder().length;
            }
        }
        return bytes;
    }

    static long[] filled(long[] a, long v) {
        Arrays.fill(a, v);
        return a;
    }

    static int[] filled(int[] a, int v) {
        Arrays.fill(a, v);
        return a;
    }

    static List<String> sortedKeys(Map<String, ?> m) {
        List<String> keys = new ArrayList<>(m.keySet());
        keys.sort(null);
        return keys;
    }
}
