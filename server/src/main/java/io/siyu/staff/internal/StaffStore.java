package io.siyu.staff.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** staff_member and customer_owner. */
@Repository
class StaffStore {

    static final Table<Record> STAFF = table(name("staff_member"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<String> TITLE = field(name("title"), String.class);
    static final Field<String> WECOM = field(name("wecom_userid"), String.class);
    static final Field<Boolean> ACTIVE = field(name("active"), Boolean.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);

    static final Table<Record> OWNER = table(name("customer_owner"));
    static final Field<Long> CUSTOMER_ID = field(name("customer_id"), Long.class);
    static final Field<Long> STAFF_ID = field(name("staff_id"), Long.class);
    static final Field<OffsetDateTime> SINCE = field(name("since"), OffsetDateTime.class);

    record StaffRow(long id, String name, String title, String wecomUserId, boolean active, OffsetDateTime createdAt) {
    }

    private final DSLContext db;

    StaffStore(DSLContext db) {
        this.db = db;
    }

    long insert(String name, String title, String wecomUserId, OffsetDateTime now) {
        return db.insertInto(STAFF).set(NAME, name).set(TITLE, title).set(WECOM, wecomUserId).set(ACTIVE, true)
                .set(CREATED_AT, now).returningResult(ID).fetchOne(ID);
    }

    /** Adds an active staff member for a WeCom user id unless one has it. */
    void insertIfAbsent(String name, String wecomUserId, OffsetDateTime now) {
        db.insertInto(STAFF).set(NAME, name).set(WECOM, wecomUserId).set(ACTIVE, true).set(CREATED_AT, now)
                .onConflict(field(name("staff_member", "wecom_userid"))).doNothing()   // qualified, for H2's MERGE
                .execute();
    }

    Optional<Long> byWecomUserId(String wecomUserId) {
        return db.select(ID).from(STAFF).where(WECOM.eq(wecomUserId)).fetchOptional(ID);
    }

    Optional<StaffRow> find(long id) {
        return db.select(ID, NAME, TITLE, WECOM, ACTIVE, CREATED_AT).from(STAFF).where(ID.eq(id)).fetchOptional()
                .map(StaffStore::toRow);
    }

    List<StaffRow> all() {
        return db.select(ID, NAME, TITLE, WECOM, ACTIVE, CREATED_AT).from(STAFF).orderBy(ID).fetch(StaffStore::toRow);
    }

    void setOwner(long customerId, long staffId, OffsetDateTime since) {
        int updated = db.update(OWNER).set(STAFF_ID, staffId).set(SINCE, since).where(CUSTOMER_ID.eq(customerId)).execute();
        if (updated == 0) {
            db.insertInto(OWNER).set(CUSTOMER_ID, customerId).set(STAFF_ID, staffId).set(SINCE, since).execute();
        }
    }

    Optional<Long> owner(long customerId) {
        return db.select(STAFF_ID).from(OWNER).where(CUSTOMER_ID.eq(customerId)).fetchOptional(STAFF_ID);
    }

    Optional<OffsetDateTime> ownedSince(long customerId) {
        return db.select(SINCE).from(OWNER).where(CUSTOMER_ID.eq(customerId)).fetchOptional(SINCE);
    }

    void removeOwner(long customerId) {
        db.deleteFrom(OWNER).where(CUSTOMER_ID.eq(customerId)).execute();
    }

    /** A page of the customers a staff member owns, by customer id. */
    List<Long> customersOf(long staffId, long afterCustomerId, int limit) {
        return db.select(CUSTOMER_ID).from(OWNER).where(STAFF_ID.eq(staffId)).and(CUSTOMER_ID.gt(afterCustomerId))
                .orderBy(CUSTOMER_ID).limit(limit).fetch(CUSTOMER_ID);
    }

    private static StaffRow toRow(Record r) {
        return new StaffRow(r.get(ID), r.get(NAME), r.get(TITLE), r.get(WECOM), r.get(ACTIVE), r.get(CREATED_AT));
    }
}
