package io.siyu.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.siyu.testing.ApiTest;
import io.siyu.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Array statements carry every value through unchanged, whichever way the driver sends a column. */
class ArrayStatementIT extends ApiTest {

    @Autowired
    DSLContext db;

    @Test
    void valuesRoundTripThroughEveryColumnType() {
        assumeTrue(TestDatabase.isPostgres(), "array statements are PostgreSQL's (H2 takes JDBC batches)");
        UUID id = UUID.randomUUID();
        OffsetDateTime at = OffsetDateTime.parse("2026-12-06T10:15:30.123456+08:00");
        // text a text array would have to quote and escape: quotes, backslashes, braces, commas, blanks, NULL
        String json = "{\"a\":\"x\\\"y\",\"b\":[1,2],\"c\":\"C:\\\\dir\"} \t\n 中文 ✓";
        ArrayStatement rows = ArrayStatement.rows("bigint", "integer", "boolean", "varchar", "varchar", "uuid", "varchar");
        rows.add(1L, 7, true, json, at, id, new BigDecimal("12.50"));
        rows.add(2, null, false, "NULL", null, null, "");
        rows.add(null, Integer.MIN_VALUE, null, null, null, null, " ");
        List<List<Object>> back = rows.query(db, """
                select b, i, t, v, ts::timestamptz, u, n from unnest(?::bigint[], ?::integer[], ?::boolean[],
                    ?::varchar[], ?::varchar[], ?::uuid[], ?::varchar[]) with ordinality as r(b, i, t, v, ts, u, n, o)
                order by o
                """, rs -> {
            List<Object> row = new ArrayList<>();
            row.add(rs.getObject(1));
            row.add(rs.getObject(2));
            row.add(rs.getObject(3));
            row.add(rs.getString(4));
            row.add(rs.getObject(5, OffsetDateTime.class));
            row.add(rs.getObject(6));
            row.add(rs.getString(7));
            return row;
        });
        assertThat(back).hasSize(3);
        assertThat(back.get(0)).containsExactly(1L, 7, true, json, at.withOffsetSameInstant(java.time.ZoneOffset.UTC), id,
                "12.50");
        assertThat(back.get(1)).containsExactly(2L, null, false, "NULL", null, null, "");
        assertThat(back.get(2)).containsExactly(null, Integer.MIN_VALUE, null, null, null, null, " ");
    }

    /**
     * A written-out statement read back as jOOQ records of the fields given, by position, and an update
     * reporting the rows it changed.
     */
    @Test
    void fetchReadsRecordsOfTheFieldsGivenAndExecuteCountsChangedRows() {
        assumeTrue(TestDatabase.isPostgres(), "array statements are PostgreSQL's (H2 takes JDBC batches)");
        var number = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("n"), Long.class);
        var twice = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("d"), Long.class);
        var records = ArrayStatement.ids(List.of(3L, 1L, 2L))
                .fetch(db, "select x, x * 2 from unnest(?::bigint[]) with ordinality as t(x, o) order by o", number, twice);
        assertThat(records).extracting(r -> r.get(number)).containsExactly(3L, 1L, 2L);
        assertThat(records).extracting(r -> r.get(twice)).containsExactly(6L, 2L, 4L);

        String table = "array_statement_it_" + UUID.randomUUID().toString().replace("-", "");
        db.execute("create table " + table + " (id bigint primary key, v varchar)");
        try {
            db.execute("insert into " + table + " values (1, 'a'), (2, 'b'), (3, 'c')");
            ArrayStatement update = ArrayStatement.rows("bigint", "varchar").add(1L, "x").add(3L, "y").add(9L, "z");
            int changed = update.execute(db, "update " + table
                    + " t set v = u.v from unnest(?::bigint[], ?::varchar[]) as u(id, v) where t.id = u.id");
            assertThat(changed).isEqualTo(2);
            assertThat(db.fetch("select v from " + table + " order by id").getValues(0, String.class))
                    .containsExactly("x", "b", "y");
        } finally {
            db.execute("drop table " + table);
        }
    }
}
