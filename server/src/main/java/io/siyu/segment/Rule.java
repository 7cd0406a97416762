package io.siyu.segment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A parsed, validated segment rule (rule language version 1, see docs/segments.md). Values are
 * already typed: strings, {@link BigDecimal} numbers, booleans and {@link LocalDate} dates; ids are
 * longs. Rules are produced by {@link SegmentRules#parse}; constructing them by hand skips validation.
 */
public sealed interface Rule {

    /** All of the rules hold (an empty list holds for everyone). */
    record And(List<Rule> rules) implements Rule {
        public And {
            rules = List.copyOf(rules);
        }
    }

    /** At least one of the rules holds (an empty list holds for no one). */
    record Or(List<Rule> rules) implements Rule {
        public Or {
            rules = List.copyOf(rules);
        }
    }

    /** The rule does not hold. */
    record Not(Rule rule) implements Rule {
    }

    /** The type of a profile field or custom attribute. */
    enum ValueType {
        STRING, NUMBER, BOOLEAN, DATE, TIMESTAMP
    }

    /** Operators on attributes; which apply depends on the field's type. */
    enum AttributeOp {
        EQ, NE, IN, NOT_IN, CONTAINS, STARTS_WITH, GT, GTE, LT, LTE, BETWEEN, EXISTS, NOT_EXISTS,
        BEFORE, AFTER, WITHIN_LAST_DAYS, IN_NEXT_DAYS, ANNIVERSARY_IN_NEXT_DAYS
    }

    /**
     * A condition on a profile field or custom attribute. A customer without a value matches only
     * {@code not_exists}. {@code values} holds the typed operands (one for most operators, two for
     * {@code between}, any number for {@code in}); {@code days} the N of the relative date operators.
     */
    record Attribute(String field, boolean custom, ValueType type, AttributeOp op, List<Object> values, int days)
            implements Rule {
        public Attribute {
            values = List.copyOf(values);
        }
    }

    /** Tag operators. */
    enum TagOp {
        HAS, HAS_ANY, HAS_ALL, HAS_NONE
    }

    /** A condition on the tags a customer holds. */
    record Tags(TagOp op, List<Long> tagIds) implements Rule {
        public Tags {
            tagIds = List.copyOf(tagIds);
        }
    }

    /**
     * A time window over calendar days in the brand's time zone: the last {@code lastDays} days
     * including today, or {@code from}..{@code to} inclusive, or (both empty) all time.
     */
    record Window(Integer lastDays, LocalDate from, LocalDate to) {
        public static final Window ALL_TIME = new Window(null, null, null);

        public boolean allTime() {
            return lastDays == null && from == null;
        }
    }

    /** Event operators: counts, and the first or last time. */
    enum EventOp {
        PERFORMED, NOT_PERFORMED, COUNT_EQ, COUNT_NE, COUNT_GT, COUNT_GTE, COUNT_LT, COUNT_LTE,
        FIRST_BEFORE, FIRST_AFTER, LAST_BEFORE, LAST_AFTER
    }

    /**
     * A condition on how often or when a customer performed an event. {@code count} is the N of the
     * count operators, {@code date} the date of the first/last operators (exclusive). {@code where}
     * holds property filters (all must hold for an event to count); with filters the condition is
     * answered from the stored events themselves, without them from the daily counts.
     */
    record Event(String name, EventOp op, long count, Window window, LocalDate date, List<PropertyFilter> where)
            implements Rule {
        /** The name that stands for every event the customer did (all but Siyu's system events). */
        public static final String INTERACTION = "$interaction";

        public Event {
            where = List.copyOf(where);
        }

        /** An event condition without property filters. */
        public Event(String name, EventOp op, long count, Window window, LocalDate date) {
            this(name, op, count, window, date, List.of());
        }

        /** The system events Siyu appends; they are not interactions. */
        public static final List<String> SYSTEM_EVENTS = List.of("Customers Merged", "Tag Added", "Tag Removed",
                "Segment Entered", "Segment Exited", "Layer Changed");
    }

    /**
     * Operators on event properties. The operand's JSON type decides the comparison: strings compare
     * with string properties, numbers with number properties, booleans with boolean properties; a
     * property that is missing, null or of another type matches only {@code not_exists}.
     */
    enum PropertyOp {
        EQ, NE, IN, NOT_IN, CONTAINS, STARTS_WITH, GT, GTE, LT, LTE, BETWEEN, EXISTS, NOT_EXISTS
    }

    /**
     * A filter on one property of an event: {@code property} is a key, or a dotted path into nested
     * objects ({@code article.category}); {@code values} holds the typed operands (String,
     * {@link BigDecimal} or Boolean).
     */
    record PropertyFilter(String property, PropertyOp op, List<Object> values) {
        public PropertyFilter {
            values = List.copyOf(values);
        }

        /** The path's keys. */
        public List<String> path() {
            return List.of(property.split("\\.", -1));
        }
    }

    /** Purchase measures. */
    enum PurchaseMetric {
        ORDERS, TOTAL_SPENT, AVERAGE_ORDER_VALUE, DAYS_SINCE_LAST_ORDER
    }

    /** Comparison operators for numbers. */
    enum Comparison {
        EQ, NE, GT, GTE, LT, LTE
    }

    /**
     * A condition on orders in a window (orders fully refunded do not count; amounts are net of
     * refunds). {@code days_since_last_order} ignores the window.
     */
    record Purchase(PurchaseMetric metric, Comparison op, BigDecimal value, Window window) implements Rule {
    }

    /** What a bought-condition matches on an order line. */
    enum ProductField {
        PRODUCT, SKU, CATEGORY
    }

    /** Bought any of the given products, SKUs or categories in the window. */
    record Bought(ProductField field, List<String> values, Window window) implements Rule {
        public Bought {
            values = List.copyOf(values);
        }
    }

    /** RFM fields from the latest RFM run. */
    enum RfmField {
        SEGMENT, VALUE_CLASS, R_SCORE, F_SCORE, M_SCORE
    }

    /** The named segment or 8-class value class is one of {@code values}, or a score compares to {@code score}. */
    record Rfm(RfmField field, List<String> values, Comparison op, int score) implements Rule {
        public Rfm {
            values = List.copyOf(values);
        }
    }

    /**
     * The customer is reachable on a channel: {@code wecom_friend} (a WeCom contact of the staff member
     * whose id is {@code target}), {@code wecom_group} (a member of the WeCom customer group with chat id
     * {@code target}) or {@code official_account} (a follower of the official account with app id
     * {@code target}); of any staff member, group or account when {@code target} is null.
     */
    record Reach(String channel, String target) implements Rule {
    }

    /** The customer has an identity of the type (e.g. wechat_openid: follows the official account). */
    record HasIdentity(String identityType) implements Rule {
    }

    /** The customer is in one of the layers. */
    record Layer(List<Long> layerIds) implements Rule {
        public Layer {
            layerIds = List.copyOf(layerIds);
        }
    }

    /** Membership of another segment: a dynamic one by its rule, a static one by its stored members. */
    record InSegment(long segmentId) implements Rule {
    }

    /** The customer's stable random bucket (0–99) is within {@code from}..{@code to} inclusive. */
    record Bucket(int from, int to) implements Rule {
    }
}
