package io.siyu.customer.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** The customer module's tables and columns, declared once for its jOOQ queries. */
final class Tables {

    private Tables() {
    }

    static final class C {
        static final Table<Record> T = table(name("customer"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<String> STATUS = field(name("status"), String.class);
        static final Field<Long> MERGED_INTO = field(name("merged_into"), Long.class);
        static final Field<String> DISPLAY_NAME = field(name("display_name"), String.class);
        static final Field<String> NICKNAME = field(name("nickname"), String.class);
        static final Field<String> REAL_NAME_ENC = field(name("real_name_enc"), String.class);
        static final Field<String> GENDER = field(name("gender"), String.class);
        static final Field<LocalDate> BIRTHDAY = field(name("birthday"), LocalDate.class);
        static final Field<String> PROVINCE = field(name("province"), String.class);
        static final Field<String> CITY = field(name("city"), String.class);
        static final Field<String> AVATAR_URL = field(name("avatar_url"), String.class);
        static final Field<String> SOURCE = field(name("source"), String.class);
        static final Field<OffsetDateTime> PROFILE_UPDATED_AT = field(name("profile_updated_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> ERASED_AT = field(name("erased_at"), OffsetDateTime.class);
        static final Field<?>[] ALL = {ID, STATUS, MERGED_INTO, DISPLAY_NAME, NICKNAME, REAL_NAME_ENC, GENDER, BIRTHDAY,
            PROVINCE, CITY, AVATAR_URL, SOURCE, PROFILE_UPDATED_AT, CREATED_AT, UPDATED_AT, ERASED_AT};
    }

    static final class I {
        static final Table<Record> T = table(name("customer_identity"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
        static final Field<String> TYPE = field(name("id_type"), String.class);
        static final Field<String> APP_ID = field(name("app_id"), String.class);
        static final Field<String> LOOKUP_KEY = field(name("lookup_key"), String.class);
        static final Field<String> VALUE = field(name("id_value"), String.class);
        static final Field<String> VALUE_ENC = field(name("value_enc"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<?>[] ALL = {ID, CUSTOMER_ID, TYPE, APP_ID, LOOKUP_KEY, VALUE, VALUE_ENC, CREATED_AT};
    }

    static final class AD {
        static final Table<Record> T = table(name("attribute_definition"));
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<String> DATA_TYPE = field(name("data_type"), String.class);
        static final Field<String> LABEL_ZH = field(name("label_zh"), String.class);
        static final Field<String> LABEL_EN = field(name("label_en"), String.class);
        static final Field<String> DESCRIPTION = field(name("description"), String.class);
        static final Field<String> MERGE_STRATEGY = field(name("merge_strategy"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
        static final Field<?>[] ALL = {NAME, DATA_TYPE, LABEL_ZH, LABEL_EN, DESCRIPTION, MERGE_STRATEGY, CREATED_AT, UPDATED_AT};
    }

    static final class A {
        static final Table<Record> T = table(name("customer_attribute"));
        static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
        static final Field<String> NAME = field(name("name"), String.class);
        static final Field<String> STR = field(name("str_val"), String.class);
        static final Field<BigDecimal> NUM = field(name("num_val"), BigDecimal.class);
        static final Field<Boolean> BOOL = field(name("bool_val"), Boolean.class);
        static final Field<LocalDate> DATE = field(name("date_val"), LocalDate.class);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
        static final Field<?>[] ALL = {CUSTOMER_ID, NAME, STR, NUM, BOOL, DATE, UPDATED_AT};
    }

    static final class M {
        static final Table<Record> T = table(name("customer_merge"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<Long> SURVIVOR_ID = field(name("survivor_id"), Long.class);
        static final Field<Long> MERGED_ID = field(name("merged_id"), Long.class);
        static final Field<String> TRIGGER = field(name("trigger_kind"), String.class);
        static final Field<String> REASON = field(name("reason"), String.class);
        static final Field<String> ACTOR = field(name("actor"), String.class);
        static final Field<String> REQUEST_ID = field(name("request_id"), String.class);
        static final Field<String> DETAILS = field(name("details"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<?>[] ALL = {ID, SURVIVOR_ID, MERGED_ID, TRIGGER, REASON, ACTOR, REQUEST_ID, DETAILS, CREATED_AT};
    }

    static final class X {
        static final Table<Record> T = table(name("identity_conflict"));
        static final Field<Long> ID = field(name("id"), Long.class);
        static final Field<String> STATUS = field(name("status"), String.class);
        static final Field<String> REASON = field(name("reason"), String.class);
        static final Field<String> CUSTOMER_IDS = field(name("customer_ids"), String.class);
        static final Field<String> TYPE = field(name("id_type"), String.class);
        static final Field<String> APP_ID = field(name("app_id"), String.class);
        static final Field<String> MASKED_VALUE = field(name("masked_value"), String.class);
        static final Field<String> ACTOR = field(name("actor"), String.class);
        static final Field<String> REQUEST_ID = field(name("request_id"), String.class);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
        static final Field<OffsetDateTime> CLOSED_AT = field(name("closed_at"), OffsetDateTime.class);
        static final Field<String> CLOSED_BY = field(name("closed_by"), String.class);
        static final Field<?>[] ALL = {ID, STATUS, REASON, CUSTOMER_IDS, TYPE, APP_ID, MASKED_VALUE, ACTOR, REQUEST_ID,
            CREATED_AT, CLOSED_AT, CLOSED_BY};
    }
}
