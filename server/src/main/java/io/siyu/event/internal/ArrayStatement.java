package io.siyu.event.internal;

import java.sql.PreparedStatement;
import org.jooq.DSLContext;

/**
 * PostgreSQL: a statement whose parameters are whole columns, passed as arrays and read back with
 * {@code unnest}. Its text never changes with the row count, so it is parsed and planned once per
 * connection, and its rows go through one executor run instead of one per row.
 */
final class ArrayStatement {

    /** One parameter: the PostgreSQL element type and the column's values. */
    record Column(String type, Object[] values) {
    }

    private ArrayStatement() {
    }

    static Column column(String type, Object[] values) {
        return new Column(type, values);
    }

    /** Runs {@code sql} on the context's connection with the columns as its parameters, in order. */
    static void execute(DSLContext db, String sql, Column... columns) {
        db.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < columns.length; i++) {
                    ps.setArray(i + 1, c.createArrayOf(columns[i].type(), columns[i].values()));
                }
                ps.executeUpdate();
            }
        });
    }
}
