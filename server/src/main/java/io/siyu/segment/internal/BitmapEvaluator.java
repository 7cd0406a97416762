package io.siyu.segment.internal;

import io.siyu.segment.Rule;
import io.siyu.segment.Rule.Comparison;
import io.siyu.segment.Rule.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.LongFunction;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * Evaluates a rule over {@link Facts} with compressed bitmaps: set conditions (tags, identities,
 * layers, static segments) are bitmap algebra, the rest one pass over the candidates. The results
 * must equal {@link SqlCompiler}'s; {@code SegmentEvaluatorsAgreePropertyIT} checks that they do.
 */
final class BitmapEvaluator {

    private final Facts facts;
    private final EvalTime time;
    private final LongFunction<Optional<Rule>> dynamicSegments;

    BitmapEvaluator(Facts facts, EvalTime time, LongFunction<Optional<Rule>> dynamicSegments) {
        this.facts = facts;
        this.time = time;
        this.dynamicSegments = dynamicSegments;
    }

    /** The members of {@code rule} among {@code universe} (which should hold active customers only). */
    RoaringBitmap eval(Rule rule, RoaringBitmap universe) {
        return switch (rule) {
            case Rule.And a -> {
                // cheapest first: each condition only looks at the customers the earlier ones left
                List<Rule> ordered = new java.util.ArrayList<>(a.rules());
                ordered.sort(java.util.Comparator.comparingInt(BitmapEvaluator::cost));
                RoaringBitmap acc = universe.clone();
                for (Rule r : ordered) {
                    if (acc.isEmpty()) {
                        break;
                    }
                    acc = eval(r, acc);
                }
                yield acc;
            }
            case Rule.Or o -> {
                RoaringBitmap acc = new RoaringBitmap();
                for (Rule r : o.rules()) {
                    RoaringBitmap rest = RoaringBitmap.andNot(universe, acc);
                    if (rest.isEmpty()) {
                        break;
                    }
                    acc.or(eval(r, rest));
                }
                yield acc;
            }
            case Rule.Not n -> RoaringBitmap.andNot(universe, eval(n.rule(), universe));
            case Rule.Attribute a -> attribute(a, universe);
            case Rule.Tags t -> tags(t, universe);
            case Rule.Event e -> scan(universe, event(e));
            case Rule.Purchase p -> scan(universe, purchase(p));
            case Rule.Bought b -> scan(universe, bought(b));
            case Rule.Rfm r -> scan(universe, rfm(r));
            case Rule.Reach r -> and(universe, facts.reach(r.channel(), r.target()));
            case Rule.HasIdentity h -> and(universe, facts.identities.get(h.identityType()));
            case Rule.Layer l -> {
                RoaringBitmap any = new RoaringBitmap();
                l.layerIds().forEach(id -> any.or(facts.layers.getOrDefault(id, new RoaringBitmap())));
                yield RoaringBitmap.and(universe, any);
            }
            case Rule.InSegment s -> dynamicSegments.apply(s.segmentId()).map(r -> eval(r, universe))
                    .orElseGet(() -> and(universe, facts.staticSegments.get(s.segmentId())));
            case Rule.Bucket b -> scan(universe, id -> {
                int k = EvalTime.bucket(id);
                return k >= b.from() && k <= b.to();
            });
        };
    }

    /**
     * A rough cost class per candidate customer: 0 for bitmap operations, 1 for one array lookup,
     * 2 for walking a customer's daily counts or orders; a composite costs its dearest part.
     */
    static int cost(Rule rule) {
        return switch (rule) {
            case Rule.Tags t -> 0;
            case Rule.HasIdentity h -> 0;
            case Rule.Reach r -> 0;
            case Rule.Layer l -> 0;
            case Rule.Attribute a -> a.type() == Rule.ValueType.STRING || a.op() == Rule.AttributeOp.EXISTS
                    || a.op() == Rule.AttributeOp.NOT_EXISTS ? 0 : 1;
            case Rule.Rfm r -> 1;
            case Rule.Bucket b -> 1;
            case Rule.Purchase p -> p.metric() == Rule.PurchaseMetric.DAYS_SINCE_LAST_ORDER ? 1 : 2;
            case Rule.Event e -> 2;
            case Rule.Bought b -> 2;
            case Rule.InSegment s -> 3;
            case Rule.Not n -> cost(n.rule());
            case Rule.And a -> a.rules().stream().mapToInt(BitmapEvaluator::cost).max().orElse(0);
            case Rule.Or o -> o.rules().stream().mapToInt(BitmapEvaluator::cost).max().orElse(0);
        };
    }

    /** A node's own count over the whole universe, with its children's. */
    record Explained(int count, List<Explained> children) {
    }

    /**
     * The members of {@code rule} among {@code universe}, evaluating every node once over the whole
     * universe (not narrowed by its siblings) and adding its count to {@code sink}: and/or/not
     * combine their children's sets, so each leaf is evaluated once, however deep it sits.
     */
    RoaringBitmap explain(Rule rule, RoaringBitmap universe, List<Explained> sink) {
        List<Explained> children = new java.util.ArrayList<>();
        RoaringBitmap members = switch (rule) {
            case Rule.And a -> {
                RoaringBitmap acc = universe.clone();
                for (Rule r : a.rules()) {
                    acc.and(explain(r, universe, children));
                }
                yield acc;
            }
            case Rule.Or o -> {
                RoaringBitmap acc = new RoaringBitmap();
                for (Rule r : o.rules()) {
                    acc.or(explain(r, universe, children));
                }
                yield acc;
            }
            case Rule.Not n -> RoaringBitmap.andNot(universe, explain(n.rule(), universe, children));
            default -> eval(rule, universe);
        };
        sink.add(new Explained(members.getCardinality(), List.copyOf(children)));
        return members;
    }

    private static RoaringBitmap and(RoaringBitmap universe, RoaringBitmap set) {
        return set == null ? new RoaringBitmap() : RoaringBitmap.and(universe, set);
    }

    /** The customers of {@code universe} passing {@code test}, read in batches of ids (faster than per-id callbacks). */
    private static RoaringBitmap scan(RoaringBitmap universe, IntPredicate test) {
        RoaringBitmapWriter<RoaringBitmap> out = RoaringBitmapWriter.writer().get();
        int[] batch = new int[4096];
        org.roaringbitmap.BatchIterator ids = universe.getBatchIterator();
        while (ids.hasNext()) {
            int n = ids.nextBatch(batch);
            for (int i = 0; i < n; i++) {
                if (test.test(batch[i])) {
                    out.add(batch[i]);
                }
            }
        }
        return out.get();
    }

    // ---- attributes

    private RoaringBitmap attribute(Rule.Attribute a, RoaringBitmap universe) {
        if (a.custom()) {
            Facts.Column c = facts.custom.get(a.field());
            if (c == null || c.type != a.type()) {
                return a.op() == Rule.AttributeOp.NOT_EXISTS ? universe.clone() : new RoaringBitmap();
            }
            RoaringBitmap holders = RoaringBitmap.and(universe, c.present);
            return switch (a.op()) {
                case EXISTS -> holders;
                case NOT_EXISTS -> RoaringBitmap.andNot(universe, c.present);
                default -> a.type() == Rule.ValueType.STRING ? text(a, c.text, universe) : scan(holders, switch (a.type()) {
                    case NUMBER -> id -> number(a, c.number[id]);
                    case BOOLEAN -> id -> bool(a, c.bool[id] == 2);
                    default -> id -> day(a, c.day[id]);
                });
            };
        }
        switch (a.type()) {
            case STRING -> {
                Facts.TextColumn col = facts.strings.get(a.field());
                return switch (a.op()) {
                    case EXISTS -> RoaringBitmap.and(universe, col.present);
                    case NOT_EXISTS -> RoaringBitmap.andNot(universe, col.present);
                    default -> text(a, col, universe);
                };
            }
            case DATE -> {
                int[] col = facts.birthday;
                return scan(universe, switch (a.op()) {
                    case EXISTS -> id -> col[id] != Facts.NO_DAY;
                    case NOT_EXISTS -> id -> col[id] == Facts.NO_DAY;
                    default -> id -> col[id] != Facts.NO_DAY && day(a, col[id]);
                });
            }
            default -> {
                long[] col = facts.times.get(a.field());
                return scan(universe, switch (a.op()) {
                    case EXISTS -> id -> col[id] != Facts.NO_TIME;
                    case NOT_EXISTS -> id -> col[id] == Facts.NO_TIME;
                    default -> {
                        long[] range = timeRange(a);
                        yield id -> col[id] != Facts.NO_TIME && col[id] >= range[0] && col[id] < range[1];
                    }
                });
            }
        }
    }

    /** [from, to) in epoch seconds for a timestamp operator. */
    private long[] timeRange(Rule.Attribute a) {
        LocalDate today = time.today();
        List<Object> v = a.values();
        return switch (a.op()) {
            case BEFORE -> new long[] {Long.MIN_VALUE + 1, time.startSecond((LocalDate) v.get(0))};
            case AFTER -> new long[] {time.startSecond(((LocalDate) v.get(0)).plusDays(1)), Long.MAX_VALUE};
            case BETWEEN -> new long[] {time.startSecond((LocalDate) v.get(0)),
                time.startSecond(((LocalDate) v.get(1)).plusDays(1))};
            case WITHIN_LAST_DAYS -> new long[] {time.startSecond(today.minusDays(a.days() - 1L)),
                time.startSecond(today.plusDays(1))};
            case IN_NEXT_DAYS -> new long[] {time.startSecond(today), time.startSecond(today.plusDays(a.days()))};
            default -> throw new IllegalStateException(a.op().name());
        };
    }

    /** A text condition over a dictionary-encoded column: the matching codes first, then their holders. */
    private static RoaringBitmap text(Rule.Attribute a, Facts.TextColumn col, RoaringBitmap universe) {
        List<Object> v = a.values();
        java.util.BitSet wanted = switch (a.op()) {
            case EQ, NE, IN, NOT_IN -> {
                java.util.BitSet codes = new java.util.BitSet();
                for (Object value : v) {
                    Integer code = col.dictionary.get((String) value);
                    if (code != null) {
                        codes.set(code);
                    }
                }
                yield codes;
            }
            case CONTAINS -> col.codesWhere(s -> s.contains((String) v.get(0)));
            case STARTS_WITH -> col.codesWhere(s -> s.startsWith((String) v.get(0)));
            default -> throw new IllegalStateException(a.op().name());
        };
        RoaringBitmap matching = wanted.isEmpty() ? new RoaringBitmap() : col.holding(wanted, universe);
        return switch (a.op()) {
            case NE, NOT_IN -> RoaringBitmap.andNot(RoaringBitmap.and(universe, col.present), matching);
            default -> matching;
        };
    }

    private static boolean number(Rule.Attribute a, double x) {
        List<Object> v = a.values();
        double first = ((BigDecimal) v.get(0)).doubleValue();
        return switch (a.op()) {
            case EQ -> x == first;
            case NE -> x != first;
            case IN -> v.stream().anyMatch(o -> ((BigDecimal) o).doubleValue() == x);
            case NOT_IN -> v.stream().noneMatch(o -> ((BigDecimal) o).doubleValue() == x);
            case GT -> x > first;
            case GTE -> x >= first;
            case LT -> x < first;
            case LTE -> x <= first;
            case BETWEEN -> x >= first && x <= ((BigDecimal) v.get(1)).doubleValue();
            default -> throw new IllegalStateException(a.op().name());
        };
    }

    private static boolean bool(Rule.Attribute a, boolean b) {
        boolean v = (Boolean) a.values().get(0);
        return a.op() == Rule.AttributeOp.EQ ? b == v : b != v;
    }

    private boolean day(Rule.Attribute a, int d) {
        List<Object> v = a.values();
        long today = time.today().toEpochDay();
        return switch (a.op()) {
            case EQ -> d == epoch(v.get(0));
            case NE -> d != epoch(v.get(0));
            case BEFORE -> d < epoch(v.get(0));
            case AFTER -> d > epoch(v.get(0));
            case BETWEEN -> d >= epoch(v.get(0)) && d <= epoch(v.get(1));
            case WITHIN_LAST_DAYS -> d >= today - (a.days() - 1L) && d <= today;
            case IN_NEXT_DAYS -> d >= today && d <= today + a.days() - 1L;
            case ANNIVERSARY_IN_NEXT_DAYS -> anniversary(d, a.days());
            default -> throw new IllegalStateException(a.op().name());
        };
    }

    private boolean anniversary(int d, int days) {
        if (days >= 366) {
            return true;
        }
        LocalDate from = time.today();
        LocalDate to = from.plusDays(days - 1L);
        int md = EvalTime.monthDay(LocalDate.ofEpochDay(d));
        int a = EvalTime.monthDay(from);
        int b = EvalTime.monthDay(to);
        return from.getYear() == to.getYear() ? md >= a && md <= b : md >= a || md <= b;
    }

    private static long epoch(Object date) {
        return ((LocalDate) date).toEpochDay();
    }

    // ---- tags

    private RoaringBitmap tags(Rule.Tags t, RoaringBitmap universe) {
        switch (t.op()) {
            case HAS_ALL -> {
                RoaringBitmap acc = universe.clone();
                for (long id : t.tagIds()) {
                    acc.and(facts.tags.getOrDefault(id, new RoaringBitmap()));
                }
                return acc;
            }
            default -> {
                RoaringBitmap any = new RoaringBitmap();
                for (long id : t.tagIds()) {
                    RoaringBitmap b = facts.tags.get(id);
                    if (b != null) {
                        any.or(b);
                    }
                }
                return t.op() == Rule.TagOp.HAS_NONE ? RoaringBitmap.andNot(universe, any)
                        : RoaringBitmap.and(universe, any);
            }
        }
    }

    // ---- events

    private IntPredicate event(Rule.Event e) {
        List<long[][]> cols = new java.util.ArrayList<>();
        if (!e.where().isEmpty()) {
            long[][] series = facts.series.get(EventSeries.of(e));
            if (series == null) {
                throw new IllegalStateException("event series not loaded: " + EventSeries.of(e));
            }
            cols.add(series);
        } else if (e.name().equals(Rule.Event.INTERACTION)) {
            facts.events.forEach((name, col) -> {
                if (!Rule.Event.SYSTEM_EVENTS.contains(name) && !name.startsWith("page:") && !name.startsWith("screen:")) {
                    cols.add(col);
                }
            });
        } else if (facts.events.containsKey(e.name())) {
            cols.add(facts.events.get(e.name()));
        }
        switch (e.op()) {
            case FIRST_BEFORE, FIRST_AFTER, LAST_BEFORE, LAST_AFTER -> {
                long date = e.date().toEpochDay();
                boolean first = e.op() == Rule.EventOp.FIRST_BEFORE || e.op() == Rule.EventOp.FIRST_AFTER;
                boolean before = e.op() == Rule.EventOp.FIRST_BEFORE || e.op() == Rule.EventOp.LAST_BEFORE;
                return id -> {
                    long best = first ? Long.MAX_VALUE : Long.MIN_VALUE;
                    for (long[][] col : cols) {
                        long[] days = col[id];
                        if (days != null && days.length > 0) {
                            best = first ? Math.min(best, days[0] >> 32) : Math.max(best, days[days.length - 1] >> 32);
                        }
                    }
                    if (best == Long.MAX_VALUE || best == Long.MIN_VALUE) {
                        return false;
                    }
                    return before ? best < date : best > date;
                };
            }
            default -> {
                Comparison op = switch (e.op()) {
                    case PERFORMED, COUNT_GTE -> Comparison.GTE;
                    case NOT_PERFORMED, COUNT_EQ -> Comparison.EQ;
                    case COUNT_NE -> Comparison.NE;
                    case COUNT_GT -> Comparison.GT;
                    case COUNT_LT -> Comparison.LT;
                    default -> Comparison.LTE;
                };
                long n = switch (e.op()) {
                    case PERFORMED -> 1;
                    case NOT_PERFORMED -> 0;
                    default -> e.count();
                };
                Window w = e.window();
                long from = w.allTime() ? Long.MIN_VALUE : time.firstDay(w).toEpochDay();
                long to = w.allTime() ? Long.MAX_VALUE : time.lastDay(w).toEpochDay();
                return id -> {
                    long total = 0;
                    for (long[][] col : cols) {
                        long[] days = col[id];
                        if (days != null) {
                            for (long p : days) {
                                long d = p >> 32;
                                if (d >= from && d <= to) {
                                    total += p & 0xffffffffL;
                                }
                            }
                        }
                    }
                    return compare(total, op, n);
                };
            }
        }
    }

    static boolean compare(long x, Comparison op, long n) {
        return switch (op) {
            case EQ -> x == n;
            case NE -> x != n;
            case GT -> x > n;
            case GTE -> x >= n;
            case LT -> x < n;
            case LTE -> x <= n;
        };
    }

    // ---- purchases

    private long[] orderRange(Window w) {
        if (w.allTime()) {
            return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        }
        return new long[] {time.startSecond(time.firstDay(w)), time.startSecond(time.lastDay(w).plusDays(1))};
    }

    private IntPredicate purchase(Rule.Purchase p) {
        long[] range = orderRange(p.window());
        switch (p.metric()) {
            case ORDERS, TOTAL_SPENT, AVERAGE_ORDER_VALUE -> {
                long cents = p.value().movePointRight(2).longValueExact();
                return id -> {
                    Facts.CustomerOrders o = facts.orders[id];
                    long count = 0;
                    long sum = 0;
                    if (o != null) {
                        for (int i = 0; i < o.at().length; i++) {
                            if (o.counted()[i] && o.at()[i] >= range[0] && o.at()[i] < range[1]) {
                                count++;
                                sum += o.netCents()[i];
                            }
                        }
                    }
                    return switch (p.metric()) {
                        case ORDERS -> compare(count, p.op(), p.value().longValueExact());
                        case TOTAL_SPENT -> compare(sum, p.op(), cents);
                        default -> count > 0 && compare(sum, p.op(), cents * count);
                    };
                };
            }
            default -> {
                long n = p.value().longValueExact();
                LocalDate today = time.today();
                long startN = time.startSecond(today.minusDays(n));
                long startN1 = time.startSecond(today.minusDays(n - 1));
                return id -> {
                    Facts.CustomerOrders o = facts.orders[id];
                    long last = o == null ? Facts.NO_TIME : o.lastCounted();
                    if (last == Facts.NO_TIME) {
                        return false;
                    }
                    return switch (p.op()) {
                        case GT -> last < startN;
                        case GTE -> last < startN1;
                        case LT -> last >= startN1;
                        case LTE -> last >= startN;
                        case EQ -> last >= startN && last < startN1;
                        case NE -> !(last >= startN && last < startN1);
                    };
                };
            }
        }
    }

    private IntPredicate bought(Rule.Bought b) {
        long[] range = orderRange(b.window());
        int[] wanted = b.values().stream().mapToInt(facts::codeOrZero).filter(c -> c != 0).toArray();
        if (wanted.length == 0) {
            return id -> false;
        }
        return id -> {
            Facts.CustomerOrders o = facts.orders[id];
            if (o == null) {
                return false;
            }
            int[] col = switch (b.field()) {
                case PRODUCT -> o.product();
                case SKU -> o.sku();
                case CATEGORY -> o.category();
            };
            for (int i = 0; i < col.length; i++) {
                int order = o.lineOrder()[i];
                if (o.counted()[order] && o.at()[order] >= range[0] && o.at()[order] < range[1]) {
                    for (int w : wanted) {
                        if (col[i] == w) {
                            return true;
                        }
                    }
                }
            }
            return false;
        };
    }

    private IntPredicate rfm(Rule.Rfm r) {
        return switch (r.field()) {
            case SEGMENT -> id -> facts.rfmSegment[id] != null && r.values().contains(facts.rfmSegment[id]);
            case VALUE_CLASS -> id -> facts.rfmClass[id] != null && r.values().contains(facts.rfmClass[id]);
            case R_SCORE -> id -> facts.rScore[id] != 0 && compare(facts.rScore[id], r.op(), r.score());
            case F_SCORE -> id -> facts.fScore[id] != 0 && compare(facts.fScore[id], r.op(), r.score());
            case M_SCORE -> id -> facts.mScore[id] != 0 && compare(facts.mScore[id], r.op(), r.score());
        };
    }
}
