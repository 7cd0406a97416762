package io.siyu.customer.internal;

import static io.siyu.customer.internal.Tables.A;
import static io.siyu.customer.internal.Tables.AD;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Attribute definitions and the per-customer typed values. */
@Repository
class AttributeStore {

    private final DSLContext db;

    AttributeStore(DSLContext db) {
        this.db = db;
    }

    List<AttributeDefinition> definitions() {
        return db.select(AD.ALL).from(AD.T).orderBy(AD.NAME).fetch(AttributeStore::toDefinition);
    }

    Optional<AttributeDefinition> definition(String name) {
        return db.select(AD.ALL).from(AD.T).where(AD.NAME.eq(name)).fetchOptional().map(AttributeStore::toDefinition);
    }

    void insert(AttributeDefinition d) {
        db.insertInto(AD.T).set(AD.NAME, d.name()).set(AD.DATA_TYPE, d.dataType().id()).set(AD.LABEL_ZH, d.labelZh())
                .set(AD.LABEL_EN, d.labelEn()).set(AD.DESCRIPTION, d.description())
                .set(AD.MERGE_STRATEGY, d.mergeStrategy().id()).set(AD.CREATED_AT, d.createdAt())
                .set(AD.UPDATED_AT, d.updatedAt()).execute();
    }

    void update(AttributeDefinition d) {
        db.update(AD.T).set(AD.DATA_TYPE, d.dataType().id()).set(AD.LABEL_ZH, d.labelZh()).set(AD.LABEL_EN, d.labelEn())
                .set(AD.DESCRIPTION, d.description()).set(AD.MERGE_STRATEGY, d.mergeStrategy().id())
                .set(AD.UPDATED_AT, d.updatedAt()).where(AD.NAME.eq(d.name())).execute();
    }

    void deleteDefinition(String name) {
        db.deleteFrom(AD.T).where(AD.NAME.eq(name)).execute();
    }

    boolean inUse(String name) {
        return db.fetchExists(db.selectOne().from(A.T).where(A.NAME.eq(name)));
    }

    Map<String, AttributeValue> values(long customerId) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        db.select(A.ALL).from(A.T).where(A.CUSTOMER_ID.eq(customerId)).orderBy(A.NAME)
                .forEach(r -> out.put(r.get(A.NAME), toValue(r)));
        return out;
    }

    Map<Long, Map<String, AttributeValue>> values(Collection<Long> customerIds) {
        Map<Long, Map<String, AttributeValue>> out = new LinkedHashMap<>();
        db.select(A.ALL).from(A.T).where(A.CUSTOMER_ID.in(customerIds)).orderBy(A.CUSTOMER_ID, A.NAME)
                .forEach(r -> out.computeIfAbsent(r.get(A.CUSTOMER_ID), k -> new LinkedHashMap<>())
                        .put(r.get(A.NAME), toValue(r)));
        return out;
    }

    void put(long customerId, AttributeValue v) {
        Object x = v.value();
        int updated = db.update(A.T)
                .set(A.STR, x instanceof String s ? s : null).set(A.NUM, x instanceof BigDecimal n ? n : null)
                .set(A.BOOL, x instanceof Boolean b ? b : null).set(A.DATE, x instanceof LocalDate d ? d : null)
                .set(A.UPDATED_AT, v.updatedAt())
                .where(A.CUSTOMER_ID.eq(customerId)).and(A.NAME.eq(v.name())).execute();
        if (updated == 0) {
            db.insertInto(A.T).set(A.CUSTOMER_ID, customerId).set(A.NAME, v.name())
                    .set(A.STR, x instanceof String s ? s : null).set(A.NUM, x instanceof BigDecimal n ? n : null)
                    .set(A.BOOL, x instanceof Boolean b ? b : null).set(A.DATE, x instanceof LocalDate d ? d : null)
                    .set(A.UPDATED_AT, v.updatedAt()).execute();
        }
    }

    void remove(long customerId, String name) {
        db.deleteFrom(A.T).where(A.CUSTOMER_ID.eq(customerId)).and(A.NAME.eq(name)).execute();
    }

    void removeAll(long customerId) {
        db.deleteFrom(A.T).where(A.CUSTOMER_ID.eq(customerId)).execute();
    }

    private static AttributeValue toValue(Record r) {
        Object v = r.get(A.STR) != null ? r.get(A.STR)
                : r.get(A.NUM) != null ? r.get(A.NUM)
                : r.get(A.BOOL) != null ? r.get(A.BOOL)
                : r.get(A.DATE);
        return new AttributeValue(r.get(A.NAME), v, r.get(A.UPDATED_AT));
    }

    private static AttributeDefinition toDefinition(Record r) {
        return new AttributeDefinition(r.get(AD.NAME),
                AttributeDefinition.DataType.fromId(r.get(AD.DATA_TYPE)).orElseThrow(),
                r.get(AD.LABEL_ZH), r.get(AD.LABEL_EN), r.get(AD.DESCRIPTION),
                AttributeDefinition.MergeStrategy.fromId(r.get(AD.MERGE_STRATEGY)).orElseThrow(),
                r.get(AD.CREATED_AT), r.get(AD.UPDATED_AT));
    }
}
