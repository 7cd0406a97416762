package io.siyu.security.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
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

    private static final List<Field<?>> FIELDS = List.of(ID, USERNAME, PASSWORD_HASH, ROLE, DISPLAY_NAME, ENABLED,
            CREATED_AT, UPDATED_AT);

    record StoredUser(long id, String username, String passwordHash, String role, String displayName, boolean enabled,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private final DSLContext db;
    private final Clock clock;

    UserStore(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    Optional<StoredUser> findByUsername(String username) {
        return db.select(FIELDS).from(USER).where(USERNAME.eq(username)).fetchOptional().map(UserStore::toUser);
    }

    Optional<StoredUser> find(long id) {
        return db.select(FIELDS).from(USER).where(ID.eq(id)).fetchOptional().map(UserStore::toUser);
    }

    /** Whether a user name is taken ignoring case: {@code Bob} and {@code bob} would be confused. */
    boolean usernameTaken(String username) {
        return db.fetchExists(USER, lower(USERNAME).eq(username.toLowerCase(Locale.ROOT)));
    }

    boolean isEmpty() {
        return !db.fetchExists(USER);
    }

    /** Oldest first; {@code afterId} continues after the last row of the previous page. */
    List<StoredUser> page(Long afterId, int limit) {
        return db.select(FIELDS).from(USER)
                .where(afterId == null ? noCondition() : ID.gt(afterId))
                .orderBy(ID.asc()).limit(limit)
                .fetch(UserStore::toUser);
    }

    /** Ids of the enabled administrators, locked until the transaction ends (see the last-admin rule). */
    List<Long> lockEnabledAdmins(String adminRole) {
        return db.select(ID).from(USER).where(ROLE.eq(adminRole)).and(ENABLED.isTrue())
                .orderBy(ID).forUpdate().fetch(ID);
    }

    long insert(String username, String passwordHash, String role, String displayName) {
        OffsetDateTime now = now();
        return db.insertInto(USER)
                .set(USERNAME, username).set(PASSWORD_HASH, passwordHash).set(ROLE, role)
                .set(DISPLAY_NAME, displayName).set(ENABLED, true).set(CREATED_AT, now).set(UPDATED_AT, now)
                .returningResult(ID).fetchOne(ID);
    }

    /** Applies the changes; a new password is stored as {@code hasher} makes it. */
    void update(long id, List<UserChange> changes, UnaryOperator<String> hasher) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        for (UserChange change : changes) {
            switch (change) {
                case UserChange.SetRole(var role) -> values.put(ROLE, role.id());
                case UserChange.SetDisplayName(var displayName) -> values.put(DISPLAY_NAME, displayName);
                case UserChange.SetEnabled(var enabled) -> values.put(ENABLED, enabled);
                case UserChange.SetPassword(var password) -> values.put(PASSWORD_HASH, hasher.apply(password));
            }
        }
        values.put(UPDATED_AT, now());
        db.update(USER).set(values).where(ID.eq(id)).execute();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    static StoredUser toUser(Record r) {
        return new StoredUser(r.get(ID), r.get(USERNAME), r.get(PASSWORD_HASH), r.get(ROLE), r.get(DISPLAY_NAME),
                r.get(ENABLED), r.get(CREATED_AT), r.get(UPDATED_AT));
    }
}
