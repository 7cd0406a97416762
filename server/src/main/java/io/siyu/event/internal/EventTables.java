package io.siyu.event.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** The event module's tables and columns. */
final class EventTables {

    private EventTables() {
    }

    static final class E {
        static final Table<Record> T = table(name("customer_event"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<Long> OFFSET = field(name("log_offset"), Long.class);
        static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
        static final Field<String> TYPE = field(name("event_type"), String.class);
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<String> MESSAGE_ID = field(name("message_id"), String.class);
        static final Field<Long> SOURCE_KEY = field(name("source_key"), Long.class);
        static final Field<OffsetDateTime> OCCURRED_AT = field(name("occurred_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> RECEIVED_AT = field(name("received_at"), OffsetDateTime.class);
        static final Field<Boolean> SYSTEM = field(name("is_system"), Boolean.class);
        static final Field<String> PROPERTIES = field(name("properties"), String.class);
        static final Field<String> CONTEXT = field(name("context"), String.class);
        /**
         * PostgreSQL: the UTC day of {@link #OCCURRED_AT}, exactly as the timeline index
         * {@code ix_event_customer_day} (V17_0) computes it, so conditions and order on it use that index.
         */
        static final Field<LocalDate> UTC_DAY = field("date(timezone('UTC', {0}))", LocalDate.class, OCCURRED_AT);
        static final Field<?>[] ALL = {OFFSET, ID, CUSTOMER_ID, TYPE, NAME, MESSAGE_ID, OCCURRED_AT, RECEIVED_AT, SYSTEM,
            PROPERTIES, CONTEXT};
    }

    static final class H {
        static final Table<Record> T = table(name("event_log_head"));
        static final Field<Integer> ID = field(name("id"), Integer.class);
        static final Field<Long> LAST_OFFSET = field(name("last_offset"), Long.class);
    }

    static final class P {
        static final Table<Record> T = table(name("event_consumer"));
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<Long> POSITION = field(name("position"), Long.class);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
    }

    static final class O {
        static final Table<Record> T = table(name("customer_order"));
        static final Field<String> ORDER_ID = field(name("order_id"), String.class);
        static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
        static final Field<String> STATUS = field(name("status"), String.class);
        static final Field<BigDecimal> TOTAL = field(name("total"), BigDecimal.class);
        static final Field<BigDecimal> REVENUE = field(name("revenue"), BigDecimal.class);
        static final Field<BigDecimal> DISCOUNT = field(name("discount"), BigDecimal.class);
        static final Field<String> COUPON = field(name("coupon"), String.class);
        static final Field<String> CURRENCY = field(name("currency"), String.class);
        static final Field<BigDecimal> REFUNDED = field(name("refunded_amount"), BigDecimal.class);
        static final Field<OffsetDateTime> ORDERED_AT = field(name("ordered_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
        static final Field<?>[] ALL = {ORDER_ID, CUSTOMER_ID, STATUS, TOTAL, REVENUE, DISCOUNT, COUPON, CURRENCY, REFUNDED,
            ORDERED_AT, UPDATED_AT};
    }

    static final class L {
        static final Table<Record> T = table(name("order_line"));
        static final Field<String> ORDER_ID = field(name("order_id"), String.class);
        static final Field<Integer> LINE_NO = field(name("line_no"), Integer.class);
        static final Field<String> PRODUCT_ID = field(name("product_id"), String.class);
        static final Field<String> SKU = field(name("sku"), String.class);
        static final Field<String> CATEGORY = field(name("category"), String.class);
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<BigDecimal> PRICE = field(name("price"), BigDecimal.class);
        static final Field<Integer> QUANTITY = field(name("quantity"), Integer.class);
    }

    static final class AG {
        static final Table<Record> T = table(name("customer_aggregate"));
        static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
        static final Field<OffsetDateTime> FIRST_SEEN = field(name("first_seen"), OffsetDateTime.class);
        static final Field<OffsetDateTime> LAST_SEEN = field(name("last_seen"), OffsetDateTime.class);
        static final Field<OffsetDateTime> LAST_INTERACTION = field(name("last_interaction"), OffsetDateTime.class);
        static final Field<Long> EVENTS = field(name("events_count"), Long.class);
        static final Field<Integer> ORDERS = field(name("orders_count"), Integer.class);
        static final Field<BigDecimal> SPENT = field(name("total_spent"), BigDecimal.class);
        static final Field<OffsetDateTime> FIRST_ORDER = field(name("first_order_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> LAST_ORDER = field(name("last_order_at"), OffsetDateTime.class);
        static final Field<?>[] ALL = {CUSTOMER_ID, FIRST_SEEN, LAST_SEEN, LAST_INTERACTION, EVENTS, ORDERS, SPENT,
            FIRST_ORDER, LAST_ORDER};
    }

    /**
     * PostgreSQL's storage of the daily counts: one row per customer and day, the count keys and
     * their counts as parallel arrays. There {@link D} is a view that unnests them.
     */
    static final class DC {
        static final Table<Record> T = table(name("customer_day_count"));
        static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
        static final Field<LocalDate> DAY = field(name("bucket_day"), LocalDate.class);
        static final Field<String[]> NAMES = field(name("event_names"), String[].class);
        static final Field<Integer[]> COUNTS = field(name("counts"), Integer[].class);
    }

    /** The daily counts, one row per customer, key and day: a table on H2, a view over {@link DC} on PostgreSQL. */
    static final class D {
        static final Table<Record> T = table(name("customer_daily_count"));
        static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
        static final Field<String> NAME = field(name("event_name"), String.class);
        static final Field<LocalDate> DAY = field(name("bucket_day"), LocalDate.class);
        static final Field<Integer> CNT = field(name("cnt"), Integer.class);
    }
}
