package io.siyu.security.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** This module's rows of the shared {@code system_setting} table (names start with {@code security.}). */
@Repository
class SettingStore {

    static final Table<Record> SETTING = table(name("system_setting"));
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<String> VAL = field(name("val"), String.class);
    static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
    static final Field<String> UPDATED_BY = field(name("updated_by"), String.class);

    private final DSLContext db;

    SettingStore(DSLContext db) {
        this.db = db;
    }

    Optional<String> find(String name) {
        return db.select(VAL).from(SETTING).where(NAME.eq(name)).fetchOptional(VAL);
    }

    /**
     * Sets a value. Update first, insert when absent: jOOQ's MERGE emulation for H2 cannot be used
     * with the unqualified names this project renders.
     */
    void put(String name, String value, OffsetDateTime now, String updatedBy) {
        int updated = db.update(SETTING).set(VAL, value).set(UPDATED_AT, now).set(UPDATED_BY, updatedBy)
                .where(NAME.eq(name)).execute();
        if (updated == 0) {
            db.insertInto(SETTING)
                    .set(NAME, name).set(VAL, value).set(UPDATED_AT, now).set(UPDATED_BY, updatedBy)
                    .execute();
        }
    }
}
