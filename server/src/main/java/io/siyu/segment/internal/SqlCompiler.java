package io.siyu.segment.internal;

import static io.siyu.segment.internal.SegTables.*;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.extract;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.function;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.not;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectDistinct;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.trueCondition;
import static org.jooq.impl.DSL.unquotedName;
import static org.jooq.impl.DSL.val;

import io.siyu.segment.Rule;
import io.siyu.segment.Rule.Comparison;
import io.siyu.segment.Rule.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DatePart;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.SelectConditionStep;
import org.jooq.impl.SQLDataType;
import org.roaringbitmap.RoaringBitmap;

/**
 * Compiles a rule to one jOOQ condition over {@code customer c} (H2 and PostgreSQL). Every leaf is
 * two-valued (never NULL), so {@code not} means exactly "everyone else". The active-customer
 * restriction is the caller's ({@link #universe()}).
 */
final class SqlCompiler {

    private final EvalTime time;
    private final LongFunction<Optional<Rule>> dynamicSegments;

    /** {@code dynamicSegments} gives the rule of a dynamic segment, empty for a static one. */
    SqlCompiler(EvalTime time, LongFunction<Optional<Rule>> dynamicSegments) {
        this.time = time;
        this.dynamicSegments = dynamicSegments;
    }

    static Condition universe() {
        return C_STATUS.eq("active");
    }

    /** The rule as one condition over {@code customer c}: subqueries as uncorrelated {@code IN}/{@code NOT IN}. */
    Condition compile(Rule rule) {
        return condition(node(rule));
    }

    /**
     * A compiled rule before it becomes one condition: conditions on the customer row, sets of
     * customer ids from a subquery (or everyone else), and how they combine.
     */
    sealed interface Node {
    }

    /** A condition on the columns of {@code customer c}. */
    record OnCustomer(Condition condition) implements Node {
    }

    /** The customers a subquery selects. */
    record In(Select<? extends Record1<Long>> ids) implements Node {
    }

    /** The customers a subquery does not select. */
    record NotIn(Select<? extends Record1<Long>> ids) implements Node {
    }

    record All(List<Node> parts) implements Node {
    }

    record Any(List<Node> parts) implements Node {
    }

    record Negated(Node part) implements Node {
    }

    Node node(Rule rule) {
        return switch (rule) {
            case Rule.And a -> new All(a.rules().stream().map(this::node).toList());
            case Rule.Or o -> new Any(o.rules().stream().map(this::node).toList());
            case Rule.Not n -> new Negated(node(n.rule()));
            case Rule.Attribute a -> attribute(a);
            case Rule.Tags t -> tags(t);
            case Rule.Event e -> event(e);
            case Rule.Purchase p -> purchase(p);
            case Rule.Bought b -> bought(b);
            case Rule.Rfm r -> rfm(r);
            case Rule.Reach r -> new In(select(CUSTOMER_ID).from(RELATION).where(R_CHANNEL.eq(r.channel()),
                    r.target() == null ? noCondition() : R_TARGET.eq(r.target())));
            case Rule.HasIdentity h -> new In(select(CUSTOMER_ID).from(IDENTITY).where(ID_TYPE.eq(h.identityType())));
            case Rule.Layer l -> new In(select(CUSTOMER_ID).from(CUSTOMER_LAYER).where(LAYER_ID.in(l.layerIds())));
            case Rule.InSegment s -> dynamicSegments.apply(s.segmentId()).map(this::node)
                    .orElseGet(() -> new In(select(CUSTOMER_ID).from(MEMBER).where(M_SEGMENT.eq(s.segmentId()))));
            case Rule.Bucket b -> new OnCustomer(bucket().between((long) b.from(), (long) b.to()));
        };
    }

    static Condition condition(Node node) {
        return switch (node) {
            case OnCustomer c -> c.condition();
            case In in -> C_ID.in(in.ids());
            case NotIn out -> C_ID.notIn(out.ids());
            case All a -> a.parts().stream().map(SqlCompiler::condition).reduce(Condition::and).orElse(trueCondition());
            case Any a -> a.parts().stream().map(SqlCompiler::condition).reduce(Condition::or).orElse(falseCondition());
            case Negated n -> not(condition(n.part()));
        };
    }

    /**
     * The active customers the rule matches, one statement per leaf and the sets combined in memory:
     * every subquery runs exactly once. H2 re-runs an {@code IN (subquery)} for each outer row as soon
     * as any table is written meanwhile (its cached result is keyed to the database's modification
     * counter), so the single statement of {@link #compile} can take minutes there while events
     * arrive; this answer is the same (the property test holds both to the bitmap engine), read
     * statement by statement.
     */
    RoaringBitmap members(DSLContext db, Rule rule) {
        RoaringBitmap everyone = ids(db, select(C_ID).from(C).where(universe()));
        return members(db, node(rule), everyone);
    }

    private static RoaringBitmap members(DSLContext db, Node node, RoaringBitmap everyone) {
        return switch (node) {
            case OnCustomer c -> ids(db, select(C_ID).from(C).where(universe()).and(c.condition()));
            case In in -> RoaringBitmap.and(everyone, ids(db, in.ids()));
            case NotIn out -> RoaringBitmap.andNot(everyone, ids(db, out.ids()));
            case All a -> {
                RoaringBitmap acc = everyone.clone();
                for (Node part : a.parts()) {
                    if (acc.isEmpty()) {
                        break;
                    }
                    acc.and(members(db, part, everyone));
                }
                yield acc;
            }
            case Any a -> {
                RoaringBitmap acc = new RoaringBitmap();
                for (Node part : a.parts()) {
                    acc.or(members(db, part, everyone));
                }
                yield acc;
            }
            case Negated n -> RoaringBitmap.andNot(everyone, members(db, n.part(), everyone));
        };
    }

    private static RoaringBitmap ids(DSLContext db, Select<? extends Record1<Long>> query) {
        RoaringBitmap out = new RoaringBitmap();
        try (var cursor = db.fetchLazy(query)) {
            for (Record1<Long> r : cursor) {
                out.add(r.value1().intValue());
            }
        }
        return out;
    }

    /** The SQL twin of {@link EvalTime#bucket}. */
    private static Field<Long> bucket() {
        return C_ID.mul(inline(2654435761L)).mod(inline(4294967296L)).mul(inline(100L)).div(inline(4294967296L));
    }

    // ---- attributes

    private Node attribute(Rule.Attribute a) {
        if (a.custom()) {
            Field<?> col = switch (a.type()) {
                case STRING -> STR_VAL;
                case NUMBER -> NUM_VAL;
                case BOOLEAN -> BOOL_VAL;
                default -> DATE_VAL;
            };
            SelectConditionStep<Record1<Long>> holders = select(CUSTOMER_ID).from(ATTR)
                    .where(ATTR_NAME.eq(a.field())).and(col.isNotNull());
            return switch (a.op()) {
                case EXISTS -> new In(holders);
                case NOT_EXISTS -> new NotIn(holders);
                default -> new In(holders.and(valueCondition(col, a)));
            };
        }
        if (a.field().equals("first_seen") || a.field().equals("last_seen") || a.field().equals("last_interaction")) {
            Field<OffsetDateTime> col = switch (a.field()) {
                case "first_seen" -> FIRST_SEEN;
                case "last_seen" -> LAST_SEEN;
                default -> LAST_INTERACTION;
            };
            SelectConditionStep<Record1<Long>> holders = select(CUSTOMER_ID).from(AGG).where(col.isNotNull());
            return switch (a.op()) {
                case EXISTS -> new In(holders);
                case NOT_EXISTS -> new NotIn(holders);
                default -> new In(holders.and(valueCondition(col, a)));
            };
        }
        Field<?> col = switch (a.type()) {
            case DATE -> field(org.jooq.impl.DSL.name("c", a.field()), LocalDate.class);
            case TIMESTAMP -> field(org.jooq.impl.DSL.name("c", a.field()), OffsetDateTime.class);
            default -> field(org.jooq.impl.DSL.name("c", a.field()), String.class);
        };
        return new OnCustomer(switch (a.op()) {
            case EXISTS -> col.isNotNull();
            case NOT_EXISTS -> col.isNull();
            default -> col.isNotNull().and(valueCondition(col, a));
        });
    }

    /** The condition on a column known to be non-null. */
    @SuppressWarnings("unchecked")
    private Condition valueCondition(Field<?> column, Rule.Attribute a) {
        List<Object> v = a.values();
        if (a.type() == Rule.ValueType.TIMESTAMP) {
            Field<OffsetDateTime> ts = (Field<OffsetDateTime>) column;
            LocalDate today = time.today();
            return switch (a.op()) {
                case BEFORE -> ts.lt(time.start((LocalDate) v.get(0)));
                case AFTER -> ts.ge(time.start(((LocalDate) v.get(0)).plusDays(1)));
                case BETWEEN -> ts.ge(time.start((LocalDate) v.get(0)))
                        .and(ts.lt(time.start(((LocalDate) v.get(1)).plusDays(1))));
                case WITHIN_LAST_DAYS -> ts.ge(time.start(today.minusDays(a.days() - 1L)))
                        .and(ts.lt(time.start(today.plusDays(1))));
                case IN_NEXT_DAYS -> ts.ge(time.start(today)).and(ts.lt(time.start(today.plusDays(a.days()))));
                default -> throw new IllegalStateException(a.op().name());
            };
        }
        if (a.type() == Rule.ValueType.DATE) {
            Field<LocalDate> d = (Field<LocalDate>) column;
            LocalDate today = time.today();
            return switch (a.op()) {
                case EQ -> d.eq((LocalDate) v.get(0));
                case NE -> d.ne((LocalDate) v.get(0));
                case BEFORE -> d.lt((LocalDate) v.get(0));
                case AFTER -> d.gt((LocalDate) v.get(0));
                case BETWEEN -> d.between((LocalDate) v.get(0), (LocalDate) v.get(1));
                case WITHIN_LAST_DAYS -> d.between(today.minusDays(a.days() - 1L), today);
                case IN_NEXT_DAYS -> d.between(today, today.plusDays(a.days() - 1L));
                case ANNIVERSARY_IN_NEXT_DAYS -> anniversary(d, a.days());
                default -> throw new IllegalStateException(a.op().name());
            };
        }
        Field<Object> f = (Field<Object>) column;
        Object first = v.isEmpty() ? null : v.get(0);
        return switch (a.op()) {
            case EQ -> f.eq(first);
            case NE -> f.ne(first);
            case IN -> f.in(v);
            case NOT_IN -> f.notIn(v);
            case CONTAINS -> ((Field<String>) column).contains((String) first);
            case STARTS_WITH -> ((Field<String>) column).startsWith((String) first);
            case GT -> f.gt(first);
            case GTE -> f.ge(first);
            case LT -> f.lt(first);
            case LTE -> f.le(first);
            case BETWEEN -> f.between(first, v.get(1));
            default -> throw new IllegalStateException(a.op().name());
        };
    }

    private Condition anniversary(Field<LocalDate> d, int days) {
        if (days >= 366) {
            return trueCondition();
        }
        LocalDate from = time.today();
        LocalDate to = from.plusDays(days - 1L);
        Field<Integer> md = extract(d, DatePart.MONTH).mul(inline(100)).add(extract(d, DatePart.DAY));
        int a = EvalTime.monthDay(from);
        int b = EvalTime.monthDay(to);
        return from.getYear() == to.getYear() ? md.between(a, b) : md.ge(a).or(md.le(b));
    }

    // ---- tags

    private Node tags(Rule.Tags t) {
        return switch (t.op()) {
            case HAS, HAS_ANY -> new In(select(CUSTOMER_ID).from(TAGS).where(TAG_ID.in(t.tagIds())));
            case HAS_NONE -> new NotIn(select(CUSTOMER_ID).from(TAGS).where(TAG_ID.in(t.tagIds())));
            case HAS_ALL -> new In(select(CUSTOMER_ID).from(TAGS).where(TAG_ID.in(t.tagIds()))
                    .groupBy(CUSTOMER_ID).having(count().eq(t.tagIds().size())));
        };
    }

    // ---- events

    private Condition dayWindow(Field<LocalDate> day, Window w) {
        if (w.allTime()) {
            return noCondition();
        }
        return day.between(time.firstDay(w), time.lastDay(w));
    }

    private Node event(Rule.Event e) {
        if (!e.where().isEmpty()) {
            return filteredEvent(e);
        }
        Condition ofEvent = e.name().equals(Rule.Event.INTERACTION) ? EVENT_NAME.notIn(Rule.Event.SYSTEM_EVENTS)
                .and(EVENT_NAME.notLike("page:%")).and(EVENT_NAME.notLike("screen:%")) : EVENT_NAME.eq(e.name());
        return switch (e.op()) {
            case FIRST_BEFORE -> new In(select(CUSTOMER_ID).from(DAILY).where(ofEvent).groupBy(CUSTOMER_ID)
                    .having(min(BUCKET_DAY).lt(e.date())));
            case FIRST_AFTER -> new In(select(CUSTOMER_ID).from(DAILY).where(ofEvent).groupBy(CUSTOMER_ID)
                    .having(min(BUCKET_DAY).gt(e.date())));
            case LAST_BEFORE -> new In(select(CUSTOMER_ID).from(DAILY).where(ofEvent).groupBy(CUSTOMER_ID)
                    .having(max(BUCKET_DAY).lt(e.date())));
            case LAST_AFTER -> new In(select(CUSTOMER_ID).from(DAILY).where(ofEvent).groupBy(CUSTOMER_ID)
                    .having(max(BUCKET_DAY).gt(e.date())));
            default -> {
                Comparison op = countComparison(e.op());
                long n = countOperand(e);
                Condition where = ofEvent.and(dayWindow(BUCKET_DAY, e.window()));
                Field<BigDecimal> total = coalesce(sum(CNT), BigDecimal.ZERO);
                yield counted(select(CUSTOMER_ID).from(DAILY).where(where).groupBy(CUSTOMER_ID)
                        .having(compare(total, op, BigDecimal.valueOf(n))),
                        select(CUSTOMER_ID).from(DAILY).where(where), op, BigDecimal.valueOf(n));
            }
        };
    }

    /** An event condition with property filters, over the stored events (days in the brand's zone). */
    private Node filteredEvent(Rule.Event e) {
        Condition ofEvent = eventsNamed(e.name());
        for (Rule.PropertyFilter f : e.where()) {
            ofEvent = ofEvent.and(property(f));
        }
        return switch (e.op()) {
            case FIRST_BEFORE -> new In(select(E_CUSTOMER).from(EVENTS).where(ofEvent).groupBy(E_CUSTOMER)
                    .having(min(E_AT).lt(time.start(e.date()))));
            case FIRST_AFTER -> new In(select(E_CUSTOMER).from(EVENTS).where(ofEvent).groupBy(E_CUSTOMER)
                    .having(min(E_AT).ge(time.start(e.date().plusDays(1)))));
            case LAST_BEFORE -> new In(select(E_CUSTOMER).from(EVENTS).where(ofEvent).groupBy(E_CUSTOMER)
                    .having(max(E_AT).lt(time.start(e.date()))));
            case LAST_AFTER -> new In(select(E_CUSTOMER).from(EVENTS).where(ofEvent).groupBy(E_CUSTOMER)
                    .having(max(E_AT).ge(time.start(e.date().plusDays(1)))));
            default -> {
                Comparison op = countComparison(e.op());
                long n = countOperand(e);
                Window w = e.window();
                Condition where = w.allTime() ? ofEvent : ofEvent.and(E_AT.ge(time.start(time.firstDay(w))))
                        .and(E_AT.lt(time.start(time.lastDay(w).plusDays(1))));
                yield counted(select(E_CUSTOMER).from(EVENTS).where(where).groupBy(E_CUSTOMER)
                        .having(compare(count().cast(SQLDataType.DECIMAL(38, 10)), op, BigDecimal.valueOf(n))),
                        select(E_CUSTOMER).from(EVENTS).where(where), op, BigDecimal.valueOf(n));
            }
        };
    }

    /** One property filter, through the {@code siyu_json_*} functions (migration V13_0). */
    @SuppressWarnings("unchecked")
    private static Condition property(Rule.PropertyFilter f) {
        Field<String> path = inline(f.property());
        Field<String> type = function(unquotedName("siyu_json_type"), String.class, E_PROPERTIES, path);
        if (f.op() == Rule.PropertyOp.EXISTS) {
            return type.isNotNull();
        }
        if (f.op() == Rule.PropertyOp.NOT_EXISTS) {
            return type.isNull();
        }
        Object first = f.values().getFirst();
        Field<Object> value = (Field<Object>) (Field<?>) (first instanceof String
                ? function(unquotedName("siyu_json_text"), String.class, E_PROPERTIES, path)
                : first instanceof BigDecimal ? function(unquotedName("siyu_json_number"), BigDecimal.class, E_PROPERTIES, path)
                : function(unquotedName("siyu_json_bool"), Boolean.class, E_PROPERTIES, path));
        return switch (f.op()) {
            case EQ -> value.eq(first);
            case NE -> value.ne(first);
            case IN -> value.in(f.values());
            case NOT_IN -> value.notIn(f.values());
            case CONTAINS -> ((Field<String>) (Field<?>) value).contains((String) first);
            case STARTS_WITH -> ((Field<String>) (Field<?>) value).startsWith((String) first);
            case GT -> value.gt(first);
            case GTE -> value.ge(first);
            case LT -> value.lt(first);
            case LTE -> value.le(first);
            case BETWEEN -> value.between(first, f.values().get(1));
            default -> throw new IllegalStateException(f.op().name());
        };
    }

    private static Comparison countComparison(Rule.EventOp op) {
        return switch (op) {
            case PERFORMED, COUNT_GTE -> Comparison.GTE;
            case NOT_PERFORMED, COUNT_EQ -> Comparison.EQ;
            case COUNT_NE -> Comparison.NE;
            case COUNT_GT -> Comparison.GT;
            case COUNT_LT -> Comparison.LT;
            default -> Comparison.LTE;
        };
    }

    private static long countOperand(Rule.Event e) {
        return switch (e.op()) {
            case PERFORMED -> 1;
            case NOT_PERFORMED -> 0;
            default -> e.count();
        };
    }

    /**
     * Customers whose aggregate (over their rows) compares as asked, plus — when zero itself
     * satisfies the comparison — every customer without rows.
     */
    private static Node counted(Select<Record1<Long>> matching, Select<Record1<Long>> anyRow, Comparison op,
            BigDecimal n) {
        Node some = new In(matching);
        return satisfies(BigDecimal.ZERO, op, n) ? new Any(List.of(some, new NotIn(anyRow))) : some;
    }

    static boolean satisfies(BigDecimal value, Comparison op, BigDecimal n) {
        int c = value.compareTo(n);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
        };
    }

    private static <T> Condition compare(Field<T> f, Comparison op, T v) {
        return switch (op) {
            case EQ -> f.eq(v);
            case NE -> f.ne(v);
            case GT -> f.gt(v);
            case GTE -> f.ge(v);
            case LT -> f.lt(v);
            case LTE -> f.le(v);
        };
    }

    // ---- purchases

    private Condition orderWindow(Window w) {
        if (w.allTime()) {
            return noCondition();
        }
        return O_AT.ge(time.start(time.firstDay(w))).and(O_AT.lt(time.start(time.lastDay(w).plusDays(1))));
    }

    private Node purchase(Rule.Purchase p) {
        Condition counted = O_STATUS.ne("refunded");
        Field<BigDecimal> net = O_TOTAL.minus(O_REFUNDED);
        switch (p.metric()) {
            case ORDERS -> {
                Condition where = counted.and(orderWindow(p.window()));
                return counted(select(O_CUSTOMER).from(ORDERS).where(where).groupBy(O_CUSTOMER)
                        .having(compare(count().cast(SQLDataType.DECIMAL(38, 10)), p.op(), p.value())),
                        select(O_CUSTOMER).from(ORDERS).where(where), p.op(), p.value());
            }
            case TOTAL_SPENT -> {
                Condition where = counted.and(orderWindow(p.window()));
                return counted(select(O_CUSTOMER).from(ORDERS).where(where).groupBy(O_CUSTOMER)
                        .having(compare(sum(net), p.op(), p.value())),
                        select(O_CUSTOMER).from(ORDERS).where(where), p.op(), p.value());
            }
            case AVERAGE_ORDER_VALUE -> {
                Condition where = counted.and(orderWindow(p.window()));
                Field<BigDecimal> scaled = count().cast(SQLDataType.DECIMAL(38, 10)).mul(val(p.value()));
                return new In(select(O_CUSTOMER).from(ORDERS).where(where).groupBy(O_CUSTOMER)
                        .having(compareFields(sum(net), p.op(), scaled)));
            }
            default -> {
                int n = p.value().intValueExact();
                LocalDate today = time.today();
                Field<OffsetDateTime> last = max(O_AT);
                Condition having = switch (p.op()) {
                    case GT -> last.lt(time.start(today.minusDays(n)));
                    case GTE -> last.lt(time.start(today.minusDays(n - 1L)));
                    case LT -> last.ge(time.start(today.minusDays(n - 1L)));
                    case LTE -> last.ge(time.start(today.minusDays(n)));
                    case EQ -> last.ge(time.start(today.minusDays(n))).and(last.lt(time.start(today.minusDays(n - 1L))));
                    case NE -> not(last.ge(time.start(today.minusDays(n))).and(last.lt(time.start(today.minusDays(n - 1L)))));
                };
                return new In(select(O_CUSTOMER).from(ORDERS).where(counted).groupBy(O_CUSTOMER).having(having));
            }
        }
    }

    private static Condition compareFields(Field<BigDecimal> f, Comparison op, Field<BigDecimal> v) {
        return switch (op) {
            case EQ -> f.eq(v);
            case NE -> f.ne(v);
            case GT -> f.gt(v);
            case GTE -> f.ge(v);
            case LT -> f.lt(v);
            case LTE -> f.le(v);
        };
    }

    private Node bought(Rule.Bought b) {
        Field<String> col = switch (b.field()) {
            case PRODUCT -> L_PRODUCT;
            case SKU -> L_SKU;
            case CATEGORY -> L_CATEGORY;
        };
        return new In(selectDistinct(O_CUSTOMER).from(ORDERS).join(LINES).on(L_ORDER.eq(O_ID))
                .where(O_STATUS.ne("refunded")).and(orderWindow(b.window())).and(col.in(b.values())));
    }

    // ---- RFM

    private Node rfm(Rule.Rfm r) {
        Condition c = switch (r.field()) {
            case SEGMENT -> RFM_SEGMENT.in(r.values());
            case VALUE_CLASS -> VALUE_CLASS.in(r.values());
            case R_SCORE -> compare(R_SCORE, r.op(), r.score());
            case F_SCORE -> compare(F_SCORE, r.op(), r.score());
            case M_SCORE -> compare(M_SCORE, r.op(), r.score());
        };
        return new In(select(CUSTOMER_ID).from(RFM).where(c));
    }
}
