package io.siyu.segment.internal;

import static io.siyu.segment.internal.SegTables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.stereotype.Component;

/** Saved segments and their members. */
@Component
class SegmentStore {

    private static final int CHUNK = 1000;
    static final Field<OffsetDateTime> CREATED = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> UPDATED = field(name("updated_at"), OffsetDateTime.class);

    private final DSLContext db;

    SegmentStore(DSLContext db) {
        this.db = db;
    }

    /** A saved segment. */
    record Row(long id, String name, String description, String kind, String ruleJson, int memberCount,
            OffsetDateTime evaluatedAt, String createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        boolean dynamic() {
            return "dynamic".equals(kind);
        }
    }

    private static Row row(Record r) {
        return new Row(r.get(ID), r.get(SEG_NAME), r.get(SEG_DESCRIPTION), r.get(SEG_KIND), r.get(SEG_RULE),
                r.get(SEG_MEMBERS), r.get(SEG_EVALUATED_AT), r.get(SEG_CREATED_BY), r.get(CREATED), r.get(UPDATED));
    }

    private static List<Field<?>> fields() {
        return List.of(ID, SEG_NAME, SEG_DESCRIPTION, SEG_KIND, SEG_RULE, SEG_MEMBERS, SEG_EVALUATED_AT,
                SEG_CREATED_BY, CREATED, UPDATED);
    }

    Optional<Row> find(long id) {
        return db.select(fields()).from(SEGMENT).where(ID.eq(id)).fetchOptional().map(SegmentStore::row);
    }

    List<Row> all() {
        return db.select(fields()).from(SEGMENT).orderBy(ID).fetch(SegmentStore::row);
    }

    List<Row> page(Long afterId, int limit) {
        return db.select(fields()).from(SEGMENT).where(afterId == null ? noCondition() : ID.gt(afterId)).orderBy(ID)
                .limit(limit).fetch(SegmentStore::row);
    }

    List<Row> dynamicSegments() {
        return db.select(fields()).from(SEGMENT).where(SEG_KIND.eq("dynamic")).orderBy(ID).fetch(SegmentStore::row);
    }

    long insert(String name, String description, String kind, String ruleJson, String actor, OffsetDateTime now) {
        return db.insertInto(SEGMENT).set(SEG_NAME, name).set(SEG_DESCRIPTION, description).set(SEG_KIND, kind)
                .set(SEG_RULE, ruleJson).set(SEG_MEMBERS, 0).set(SEG_CREATED_BY, actor).set(CREATED, now)
                .set(UPDATED, now).returningResult(ID).fetchOne(ID);
    }

    void update(long id, String name, String description, String ruleJson, OffsetDateTime now) {
        db.update(SEGMENT).set(SEG_NAME, name).set(SEG_DESCRIPTION, description).set(SEG_RULE, ruleJson)
                .set(UPDATED, now).where(ID.eq(id)).execute();
    }

    void delete(long id) {
        db.deleteFrom(MEMBER).where(M_SEGMENT.eq(id)).execute();
        db.deleteFrom(SEGMENT).where(ID.eq(id)).execute();
    }

    void setCount(long id, int count, OffsetDateTime at) {
        db.update(SEGMENT).set(SEG_MEMBERS, count).set(SEG_EVALUATED_AT, at).where(ID.eq(id)).execute();
    }

    void adjustCount(long id, int delta, OffsetDateTime at) {
        db.update(SEGMENT).set(SEG_MEMBERS, SEG_MEMBERS.plus(delta)).set(SEG_EVALUATED_AT, at).where(ID.eq(id)).execute();
    }

    RoaringBitmap members(long segmentId) {
        RoaringBitmap b = new RoaringBitmap();
        db.select(CUSTOMER_ID).from(MEMBER).where(M_SEGMENT.eq(segmentId)).fetchSize(10_000).fetchLazy()
                .forEach(r -> b.add(r.get(CUSTOMER_ID).intValue()));
        return b;
    }

    /** A page of members in id order. */
    List<Record2<Long, OffsetDateTime>> memberPage(long segmentId, Long afterCustomer, int limit) {
        return db.select(CUSTOMER_ID, M_SINCE).from(MEMBER).where(M_SEGMENT.eq(segmentId))
                .and(afterCustomer == null ? noCondition() : CUSTOMER_ID.gt(afterCustomer)).orderBy(CUSTOMER_ID)
                .limit(limit).fetch();
    }

    void addMembers(long segmentId, RoaringBitmap ids, OffsetDateTime since) {
        List<Long> all = list(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            var insert = db.insertInto(MEMBER, M_SEGMENT, CUSTOMER_ID, M_SINCE);
            for (Long id : all.subList(i, Math.min(all.size(), i + CHUNK))) {
                insert = insert.values(segmentId, id, since);
            }
            insert.execute();
        }
    }

    void removeMembers(long segmentId, RoaringBitmap ids) {
        List<Long> all = list(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            db.deleteFrom(MEMBER).where(M_SEGMENT.eq(segmentId))
                    .and(CUSTOMER_ID.in(all.subList(i, Math.min(all.size(), i + CHUNK)))).execute();
        }
    }

    /** The segments a customer is in now, for the profile. */
    List<Long> segmentsOf(long customerId) {
        return db.select(M_SEGMENT).from(MEMBER).where(CUSTOMER_ID.eq(customerId)).orderBy(M_SEGMENT).fetch(M_SEGMENT);
    }

    static List<Long> list(RoaringBitmap ids) {
        List<Long> all = new ArrayList<>(ids.getCardinality());
        ids.forEach((int id) -> all.add((long) id));
        return all;
    }
}
