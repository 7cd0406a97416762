package io.siyu.tag.internal;

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

/** tag_group, tag, customer_tag and tag_change. */
@Repository
class TagStore {

    static final Table<Record> G = table(name("tag_group"));
    static final Field<Long> G_ID = field(name("tag_group", "id"), Long.class);
    static final Field<String> G_NAME = field(name("tag_group", "name"), String.class);
    static final Field<String> G_DESCRIPTION = field(name("tag_group", "description"), String.class);
    static final Field<Integer> G_ORDER = field(name("tag_group", "sort_order"), Integer.class);
    static final Field<Boolean> G_EXCLUSIVE = field(name("tag_group", "exclusive_tags"), Boolean.class);
    static final Field<OffsetDateTime> G_CREATED = field(name("tag_group", "created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> G_UPDATED = field(name("tag_group", "updated_at"), OffsetDateTime.class);

    static final Table<Record> T = table(name("tag"));
    static final Field<Long> T_ID = field(name("tag", "id"), Long.class);
    static final Field<Long> T_GROUP = field(name("tag", "group_id"), Long.class);
    static final Field<String> T_NAME = field(name("tag", "name"), String.class);
    static final Field<String> T_COLOUR = field(name("tag", "colour"), String.class);
    static final Field<String> T_DESCRIPTION = field(name("tag", "description"), String.class);
    static final Field<Integer> T_ORDER = field(name("tag", "sort_order"), Integer.class);
    static final Field<Integer> T_TTL = field(name("tag", "default_ttl_days"), Integer.class);
    static final Field<OffsetDateTime> T_CREATED = field(name("tag", "created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> T_UPDATED = field(name("tag", "updated_at"), OffsetDateTime.class);

    static final Table<Record> CT = table(name("customer_tag"));
    static final Field<Long> CT_CUSTOMER = field(name("customer_tag", "customer_id"), Long.class);
    static final Field<Long> CT_TAG = field(name("customer_tag", "tag_id"), Long.class);
    static final Field<String> CT_SOURCE = field(name("customer_tag", "source"), String.class);
    static final Field<OffsetDateTime> CT_ASSIGNED_AT = field(name("customer_tag", "assigned_at"), OffsetDateTime.class);
    static final Field<String> CT_ASSIGNED_BY = field(name("customer_tag", "assigned_by"), String.class);
    static final Field<OffsetDateTime> CT_EXPIRES = field(name("customer_tag", "expires_at"), OffsetDateTime.class);

    static final Table<Record> CH = table(name("tag_change"));
    static final Field<Long> CH_ID = field(name("tag_change", "id"), Long.class);
    static final Field<Long> CH_CUSTOMER = field(name("tag_change", "customer_id"), Long.class);
    static final Field<Long> CH_TAG = field(name("tag_change", "tag_id"), Long.class);
    static final Field<String> CH_KIND = field(name("tag_change", "change_kind"), String.class);
    static final Field<String> CH_SOURCE = field(name("tag_change", "source"), String.class);
    static final Field<String> CH_ACTOR = field(name("tag_change", "actor"), String.class);
    static final Field<OffsetDateTime> CH_AT = field(name("tag_change", "changed_at"), OffsetDateTime.class);

    record Group(long id, String name, String description, int sortOrder, boolean exclusive, OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    record TagRow(long id, long groupId, String name, String colour, String description, int sortOrder, Integer ttlDays,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    record Assignment(long customerId, long tagId, String source, OffsetDateTime assignedAt, String assignedBy,
            OffsetDateTime expiresAt) {
    }

    record Change(long id, long customerId, long tagId, String kind, String source, String actor, OffsetDateTime at) {
    }

    private final DSLContext db;

    TagStore(DSLContext db) {
        this.db = db;
    }

    // groups

    List<Group> groups() {
        return db.select(G_ID, G_NAME, G_DESCRIPTION, G_ORDER, G_EXCLUSIVE, G_CREATED, G_UPDATED).from(G)
                .orderBy(G_ORDER, G_ID).fetch(TagStore::group);
    }

    Optional<Group> group(long id) {
        return db.select(G_ID, G_NAME, G_DESCRIPTION, G_ORDER, G_EXCLUSIVE, G_CREATED, G_UPDATED).from(G)
                .where(G_ID.eq(id)).fetchOptional(TagStore::group);
    }

    long insertGroup(String name, String description, int order, boolean exclusive, OffsetDateTime now) {
        return db.insertInto(G).set(G_NAME, name).set(G_DESCRIPTION, description).set(G_ORDER, order)
                .set(G_EXCLUSIVE, exclusive).set(G_CREATED, now).set(G_UPDATED, now).returningResult(G_ID).fetchOne(G_ID);
    }

    void updateGroup(Group g) {
        db.update(G).set(G_NAME, g.name()).set(G_DESCRIPTION, g.description()).set(G_ORDER, g.sortOrder())
                .set(G_EXCLUSIVE, g.exclusive()).set(G_UPDATED, g.updatedAt()).where(G_ID.eq(g.id())).execute();
    }

    void deleteGroup(long id) {
        db.deleteFrom(G).where(G_ID.eq(id)).execute();
    }

    // tags

    List<TagRow> tags() {
        return db.select(T_ID, T_GROUP, T_NAME, T_COLOUR, T_DESCRIPTION, T_ORDER, T_TTL, T_CREATED, T_UPDATED).from(T)
                .orderBy(T_GROUP, T_ORDER, T_ID).fetch(TagStore::tag);
    }

    Optional<TagRow> tag(long id) {
        return db.select(T_ID, T_GROUP, T_NAME, T_COLOUR, T_DESCRIPTION, T_ORDER, T_TTL, T_CREATED, T_UPDATED).from(T)
                .where(T_ID.eq(id)).fetchOptional(TagStore::tag);
    }

    long insertTag(long groupId, String name, String colour, String description, int order, Integer ttl,
            OffsetDateTime now) {
        return db.insertInto(T).set(T_GROUP, groupId).set(T_NAME, name).set(T_COLOUR, colour)
                .set(T_DESCRIPTION, description).set(T_ORDER, order).set(T_TTL, ttl).set(T_CREATED, now)
                .set(T_UPDATED, now).returningResult(T_ID).fetchOne(T_ID);
    }

    void updateTag(TagRow t) {
        db.update(T).set(T_NAME, t.name()).set(T_COLOUR, t.colour()).set(T_DESCRIPTION, t.description())
                .set(T_ORDER, t.sortOrder()).set(T_TTL, t.ttlDays()).set(T_UPDATED, t.updatedAt()).where(T_ID.eq(t.id()))
                .execute();
    }

    void deleteTag(long id) {
        db.deleteFrom(T).where(T_ID.eq(id)).execute();
    }

    boolean groupHasTags(long groupId) {
        return db.fetchExists(db.selectOne().from(T).where(T_GROUP.eq(groupId)));
    }

    int holders(long tagId) {
        return db.fetchCount(CT, CT_TAG.eq(tagId));
    }

    // assignments

    List<Assignment> assignments(long customerId) {
        return db.select(CT_CUSTOMER, CT_TAG, CT_SOURCE, CT_ASSIGNED_AT, CT_ASSIGNED_BY, CT_EXPIRES).from(CT)
                .where(CT_CUSTOMER.eq(customerId)).orderBy(CT_TAG).fetch(TagStore::assignment);
    }

    boolean hasRules(long tagId) {
        return db.fetchExists(db.selectOne().from(table(name("tag_rule"))).where(field(name("tag_id"), Long.class).eq(tagId)));
    }

    Optional<Assignment> assignment(long customerId, long tagId) {
        return db.select(CT_CUSTOMER, CT_TAG, CT_SOURCE, CT_ASSIGNED_AT, CT_ASSIGNED_BY, CT_EXPIRES).from(CT)
                .where(CT_CUSTOMER.eq(customerId)).and(CT_TAG.eq(tagId)).fetchOptional(TagStore::assignment);
    }

    void insertAssignment(Assignment a) {
        db.insertInto(CT).set(CT_CUSTOMER, a.customerId()).set(CT_TAG, a.tagId()).set(CT_SOURCE, a.source())
                .set(CT_ASSIGNED_AT, a.assignedAt()).set(CT_ASSIGNED_BY, a.assignedBy()).set(CT_EXPIRES, a.expiresAt())
                .execute();
    }

    void updateExpiry(long customerId, long tagId, OffsetDateTime expiresAt) {
        db.update(CT).set(CT_EXPIRES, expiresAt).where(CT_CUSTOMER.eq(customerId)).and(CT_TAG.eq(tagId)).execute();
    }

    boolean deleteAssignment(long customerId, long tagId) {
        return db.deleteFrom(CT).where(CT_CUSTOMER.eq(customerId)).and(CT_TAG.eq(tagId)).execute() > 0;
    }

    void deleteAssignments(long customerId) {
        db.deleteFrom(CT).where(CT_CUSTOMER.eq(customerId)).execute();
    }

    List<Assignment> expiredBefore(OffsetDateTime now, int limit) {
        return db.select(CT_CUSTOMER, CT_TAG, CT_SOURCE, CT_ASSIGNED_AT, CT_ASSIGNED_BY, CT_EXPIRES).from(CT)
                .where(CT_EXPIRES.le(now)).orderBy(CT_EXPIRES).limit(limit).forUpdate().fetch(TagStore::assignment);
    }

    /** Customers holding a tag, by customer id after {@code after}. */
    List<Long> holdersPage(long tagId, long after, int limit) {
        return db.select(CT_CUSTOMER).from(CT).where(CT_TAG.eq(tagId)).and(CT_CUSTOMER.gt(after)).orderBy(CT_CUSTOMER)
                .limit(limit).fetch(CT_CUSTOMER);
    }

    // history

    void recordChange(long customerId, long tagId, String kind, String source, String actor, OffsetDateTime at) {
        db.insertInto(CH).set(CH_CUSTOMER, customerId).set(CH_TAG, tagId).set(CH_KIND, kind).set(CH_SOURCE, source)
                .set(CH_ACTOR, actor).set(CH_AT, at).execute();
    }

    List<Change> history(long customerId, long beforeId, int limit) {
        return db.select(CH_ID, CH_CUSTOMER, CH_TAG, CH_KIND, CH_SOURCE, CH_ACTOR, CH_AT).from(CH)
                .where(CH_CUSTOMER.eq(customerId)).and(CH_ID.lt(beforeId)).orderBy(CH_ID.desc()).limit(limit)
                .fetch(r -> new Change(r.get(CH_ID), r.get(CH_CUSTOMER), r.get(CH_TAG), r.get(CH_KIND), r.get(CH_SOURCE),
                        r.get(CH_ACTOR), r.get(CH_AT)));
    }

    void moveHistory(long from, long to) {
        db.update(CH).set(CH_CUSTOMER, to).where(CH_CUSTOMER.eq(from)).execute();
    }

    private static Group group(Record r) {
        return new Group(r.get(G_ID), r.get(G_NAME), r.get(G_DESCRIPTION), r.get(G_ORDER), r.get(G_EXCLUSIVE),
                r.get(G_CREATED), r.get(G_UPDATED));
    }

    private static TagRow tag(Record r) {
        return new TagRow(r.get(T_ID), r.get(T_GROUP), r.get(T_NAME), r.get(T_COLOUR), r.get(T_DESCRIPTION),
                r.get(T_ORDER), r.get(T_TTL), r.get(T_CREATED), r.get(T_UPDATED));
    }

    private static Assignment assignment(Record r) {
        return new Assignment(r.get(CT_CUSTOMER), r.get(CT_TAG), r.get(CT_SOURCE), r.get(CT_ASSIGNED_AT),
                r.get(CT_ASSIGNED_BY), r.get(CT_EXPIRES));
    }
}
