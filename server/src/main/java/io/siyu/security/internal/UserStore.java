package io.siyu.security.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** Console users in the {@code console_user} table. */
@Repository
class UserStore {

    static final Table<Record> USER = table(name("console_user"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<String> USERNAME = field(name("username"), String.class);
    static final Field<String> PASSWORD_HASH = field(name("password_hash"), String.class);
    static final Field<String> ROLE = field(name("role"), String.class);
    static final Field<String> DISPLAY_NAME = field(name("display_name"), String.class);
    static final Field<Boolean> ENABLED = field(name("enabled"), Boolean.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);

    record StoredUser(long id, String username, String passwordHash, String role, String displayName, boolean enabled,
            OffsetDateTime createdAt) {
    }

    private final DSLContext db;
    private final Clock clock;

    UserStore(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    Optional<StoredUser> findByUsername(String username) {
        return db.selectFrom(USER).where(USERNAME.eq(username)).fetchOptional().map(UserStore::toUser);
    }

    boolean isEmpty() {
        return !db.fetchExists(USER);
    }

    long insert(String username, String passwordHash, String role, String displayName) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return db.insertInto(USER)
                .set(USERNAME, username).set(PASSWORD_HASH, passwordHash).set(ROLE, role)
                .set(DISPLAY_NAME, displayName).set(ENABLED, true).set(CREATED_AT, now).set(UPDATED_AT, now)
                .returningResult(ID).fetchOne(ID);
    }

    static StoredUser toUser(Record r) {
        return new StoredUser(r.get(ID), r.get(USERNAME), r.get(PASSWORD_HASH), r.get(ROLE), r.get(DISPLAY_NAME),
                r.get(ENABLED), r.get(CREATED_AT));
    }
}
