package io.siyu.testing;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Creates console users with a given role directly in the database, for tests of permissions. */
public final class TestUsers {

    public static final String PASSWORD = "test-Pa55word-123";

    private TestUsers() {
    }

    /** A fresh user with {@code role}; returns its name (password {@link #PASSWORD}). */
    public static String create(DSLContext db, String role) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now();
        db.insertInto(DSL.table(DSL.name("console_user")))
                .set(DSL.field(DSL.name("username")), name)
                .set(DSL.field(DSL.name("password_hash")), "{noop}" + PASSWORD)
                .set(DSL.field(DSL.name("role")), role)
                .set(DSL.field(DSL.name("display_name")), name)
                .set(DSL.field(DSL.name("enabled")), true)
                .set(DSL.field(DSL.name("created_at")), now)
                .set(DSL.field(DSL.name("updated_at")), now)
                .execute();
        return name;
    }
}
