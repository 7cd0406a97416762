package io.siyu.wecom.internal;

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

/** wecom_group_chat: the customer groups as last read from WeCom. */
@Repository
class GroupStore {

    static final Table<Record> GROUP = table(name("wecom_group_chat"));
    static final Field<String> CHAT_ID = field(name("chat_id"), String.class);
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<String> OWNER = field(name("owner_userid"), String.class);
    static final Field<String> NOTICE = field(name("notice"), String.class);
    static final Field<Integer> CUSTOMERS = field(name("customers"), Integer.class);
    static final Field<Integer> MEMBERS = field(name("members"), Integer.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<Boolean> DISMISSED = field(name("dismissed"), Boolean.class);
    static final Field<OffsetDateTime> SYNCED_AT = field(name("synced_at"), OffsetDateTime.class);

    /** A stored group. */
    record GroupRow(String chatId, String name, String ownerUserId, String notice, int customers, int members,
            OffsetDateTime createdAt, boolean dismissed, OffsetDateTime syncedAt) {
    }

    private final DSLContext db;

    GroupStore(DSLContext db) {
        this.db = db;
    }

    /** Writes the row (update first, so a concurrent sync of the same group waits on its lock). */
    void save(GroupRow g) {
        int updated = db.update(GROUP).set(NAME, g.name()).set(OWNER, g.ownerUserId()).set(NOTICE, g.notice())
                .set(CUSTOMERS, g.customers()).set(MEMBERS, g.members()).set(CREATED_AT, g.createdAt())
                .set(DISMISSED, g.dismissed()).set(SYNCED_AT, g.syncedAt()).where(CHAT_ID.eq(g.chatId())).execute();
        if (updated == 0) {
            db.insertInto(GROUP).set(CHAT_ID, g.chatId()).set(NAME, g.name()).set(OWNER, g.ownerUserId())
                    .set(NOTICE, g.notice()).set(CUSTOMERS, g.customers()).set(MEMBERS, g.members())
                    .set(CREATED_AT, g.createdAt()).set(DISMISSED, g.dismissed()).set(SYNCED_AT, g.syncedAt()).execute();
        }
    }

    /** Locks the group's row while its memberships are rewritten; false when it is not stored yet. */
    boolean lock(String chatId) {
        return db.select(CHAT_ID).from(GROUP).where(CHAT_ID.eq(chatId)).forUpdate().fetchOptional().isPresent();
    }

    Optional<GroupRow> find(String chatId) {
        return db.select(CHAT_ID, NAME, OWNER, NOTICE, CUSTOMERS, MEMBERS, CREATED_AT, DISMISSED, SYNCED_AT).from(GROUP)
                .where(CHAT_ID.eq(chatId)).fetchOptional(GroupStore::row);
    }

    /** Groups in chat-id order after {@code after} (null: from the start). */
    List<GroupRow> page(String after, int limit) {
        return db.select(CHAT_ID, NAME, OWNER, NOTICE, CUSTOMERS, MEMBERS, CREATED_AT, DISMISSED, SYNCED_AT).from(GROUP)
                .where(after == null ? org.jooq.impl.DSL.noCondition() : CHAT_ID.gt(after)).orderBy(CHAT_ID).limit(limit)
                .fetch(GroupStore::row);
    }

    /** The groups not known to be dismissed. */
    List<String> live() {
        return db.select(CHAT_ID).from(GROUP).where(DISMISSED.isFalse()).orderBy(CHAT_ID).fetch(CHAT_ID);
    }

    private static GroupRow row(Record r) {
        return new GroupRow(r.get(CHAT_ID), r.get(NAME), r.get(OWNER), r.get(NOTICE), r.get(CUSTOMERS), r.get(MEMBERS),
                r.get(CREATED_AT), r.get(DISMISSED), r.get(SYNCED_AT));
    }
}
