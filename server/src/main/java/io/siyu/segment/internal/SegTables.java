package io.siyu.segment.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * The tables segments read. Segments are a read model over the data other modules own (customers,
 * attributes, tags, aggregates, orders, RFM, owners, layers), so the compiler and the bitmap loader
 * read those tables by name; only {@code segment} and {@code segment_member} belong to this module.
 */
final class SegTables {

    private SegTables() {
    }

    /** The customer table, aliased {@code c} so subqueries can correlate on it. */
    static final Table<Record> C = table(name("customer")).as("c");
    static final Field<Long> C_ID = field(name("c", "id"), Long.class);
    static final Field<String> C_STATUS = field(name("c", "status"), String.class);

    static Field<Object> cField(String column) {
        return field(name("c", column));
    }

    static final Table<Record> CUSTOMER = table(name("customer"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<String> STATUS = field(name("status"), String.class);
    static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
    static final Field<LocalDate> BIRTHDAY = field(name("birthday"), LocalDate.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);

    static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);

    static final Table<Record> ATTR = table(name("customer_attribute"));
    static final Field<String> ATTR_NAME = field(name("name"), String.class);
    static final Field<String> STR_VAL = field(name("str_val"), String.class);
    static final Field<BigDecimal> NUM_VAL = field(name("num_val"), BigDecimal.class);
    static final Field<Boolean> BOOL_VAL = field(name("bool_val"), Boolean.class);
    static final Field<LocalDate> DATE_VAL = field(name("date_val"), LocalDate.class);

    static final Table<Record> ATTR_DEF = table(name("attribute_definition"));
    static final Field<String> DEF_NAME = field(name("name"), String.class);
    static final Field<String> DEF_TYPE = field(name("data_type"), String.class);

    static final Table<Record> AGG = table(name("customer_aggregate"));
    static final Field<OffsetDateTime> FIRST_SEEN = field(name("first_seen"), OffsetDateTime.class);
    static final Field<OffsetDateTime> LAST_SEEN = field(name("last_seen"), OffsetDateTime.class);
    static final Field<OffsetDateTime> LAST_INTERACTION = field(name("last_interaction"), OffsetDateTime.class);

    /** The stored events themselves (for conditions with property filters). */
    static final Table<Record> EVENTS = table(name("customer_event"));
    static final Field<Long> E_CUSTOMER = field(name("customer_id"), Long.class);
    static final Field<String> E_TYPE = field(name("event_type"), String.class);
    static final Field<String> E_NAME = field(name("name"), String.class);
    static final Field<OffsetDateTime> E_AT = field(name("occurred_at"), OffsetDateTime.class);
    static final Field<String> E_PROPERTIES = field(name("properties"), String.class);

    private static final java.util.Set<String> VIEW_TYPES = java.util.Set.of("page", "screen");
    private static final java.util.Set<String> UNNAMED_TYPES = java.util.Set.of("page", "screen", "identify", "group",
            "alias");

    /**
     * The stored events a rule's event name stands for, as the daily counts key them: a track or
     * system event by its name; {@code page}, {@code screen}, {@code identify}, {@code group} and
     * {@code alias} by their type; {@code page:<name>} / {@code screen:<name>} a named view.
     */
    static org.jooq.Condition eventsNamed(String ruleName) {
        org.jooq.Condition named = E_TYPE.in("track", "system").and(E_NAME.eq(ruleName));
        int colon = ruleName.indexOf(':');
        if (colon > 0 && VIEW_TYPES.contains(ruleName.substring(0, colon))) {
            named = named.or(E_TYPE.eq(ruleName.substring(0, colon)).and(E_NAME.eq(ruleName.substring(colon + 1))));
        }
        if (UNNAMED_TYPES.contains(ruleName)) {
            named = named.or(E_TYPE.eq(ruleName));
        }
        return named;
    }

    static final Table<Record> DAILY = table(name("customer_daily_count"));
    static final Field<String> EVENT_NAME = field(name("event_name"), String.class);
    static final Field<LocalDate> BUCKET_DAY = field(name("bucket_day"), LocalDate.class);
    static final Field<Integer> CNT = field(name("cnt"), Integer.class);

    static final Table<Record> TAGS = table(name("customer_tag"));
    static final Field<Long> TAG_ID = field(name("tag_id"), Long.class);
    static final Table<Record> TAG = table(name("tag"));

    static final Table<Record> ORDERS = table(name("customer_order")).as("o");
    static final Field<String> O_ID = field(name("o", "order_id"), String.class);
    static final Field<Long> O_CUSTOMER = field(name("o", "customer_id"), Long.class);
    static final Field<String> O_STATUS = field(name("o", "status"), String.class);
    static final Field<BigDecimal> O_TOTAL = field(name("o", "total"), BigDecimal.class);
    static final Field<BigDecimal> O_REFUNDED = field(name("o", "refunded_amount"), BigDecimal.class);
    static final Field<OffsetDateTime> O_AT = field(name("o", "ordered_at"), OffsetDateTime.class);

    static final Table<Record> LINES = table(name("order_line")).as("l");
    static final Field<String> L_ORDER = field(name("l", "order_id"), String.class);
    static final Field<String> L_PRODUCT = field(name("l", "product_id"), String.class);
    static final Field<String> L_SKU = field(name("l", "sku"), String.class);
    static final Field<String> L_CATEGORY = field(name("l", "category"), String.class);

    static final Table<Record> RFM = table(name("customer_rfm"));
    static final Field<String> RFM_SEGMENT = field(name("rfm_segment"), String.class);
    static final Field<String> VALUE_CLASS = field(name("value_class"), String.class);
    static final Field<Integer> R_SCORE = field(name("r_score"), Integer.class);
    static final Field<Integer> F_SCORE = field(name("f_score"), Integer.class);
    static final Field<Integer> M_SCORE = field(name("m_score"), Integer.class);

    static final Table<Record> RELATION = table(name("channel_relation"));
    static final Field<String> R_CHANNEL = field(name("channel"), String.class);
    static final Field<String> R_TARGET = field(name("target"), String.class);
    static final Table<Record> GROUP_CHAT = table(name("wecom_group_chat"));
    static final Field<String> CHAT_ID = field(name("chat_id"), String.class);
    static final Table<Record> STAFF = table(name("staff_member"));

    static final Table<Record> IDENTITY = table(name("customer_identity"));
    static final Field<String> ID_TYPE = field(name("id_type"), String.class);

    static final Table<Record> CUSTOMER_LAYER = table(name("customer_layer"));
    static final Field<Long> LAYER_ID = field(name("layer_id"), Long.class);
    static final Table<Record> LAYER = table(name("layer"));

    static final Table<Record> SEGMENT = table(name("segment"));
    static final Field<String> SEG_NAME = field(name("name"), String.class);
    static final Field<String> SEG_DESCRIPTION = field(name("description"), String.class);
    static final Field<String> SEG_KIND = field(name("kind"), String.class);
    static final Field<String> SEG_RULE = field(name("rule_json"), String.class);
    static final Field<Integer> SEG_MEMBERS = field(name("member_count"), Integer.class);
    static final Field<OffsetDateTime> SEG_EVALUATED_AT = field(name("evaluated_at"), OffsetDateTime.class);
    static final Field<String> SEG_CREATED_BY = field(name("created_by"), String.class);

    static final Table<Record> MEMBER = table(name("segment_member"));
    static final Field<Long> M_SEGMENT = field(name("segment_id"), Long.class);
    static final Field<OffsetDateTime> M_SINCE = field(name("since"), OffsetDateTime.class);
}
