package io.siyu.platform;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * PostgreSQL: a statement whose parameters are whole columns, passed as arrays and read back with
 * {@code unnest}. Its text never changes with the row count, so it is parsed and planned once per
 * connection, and its rows go through one executor run instead of one per row. Failures come as
 * Spring's data access exceptions, as from statements jOOQ runs: a unique violation is a
 * {@link org.springframework.dao.DuplicateKeyException}, a deadlock or serialisation failure a
 * {@link org.springframework.dao.ConcurrencyFailureException}, so callers retry lost races alike.
 */
public final class ArrayStatement {

    /** One parameter: the PostgreSQL element type and the column's values. */
    public record Column(String type, Object[] values) {
    }

    private static final SQLExceptionTranslator TRANSLATOR = new SQLStateSQLExceptionTranslator();

    private ArrayStatement() {
    }

    /** {@code e} as Spring's data access exception (by its SQL state), or {@code e} itself if none fits. */
    public static RuntimeException translate(String sql, java.sql.SQLException e) {
        DataAccessException translated = TRANSLATOR.translate("array statement", sql, e);
        return translated != null ? translated : new org.springframework.jdbc.UncategorizedSQLException(
                "array statement", sql, e);
    }

    public static Column column(String type, Object[] values) {
        return new Column(type, values);
    }

    /** Reads one value from the current row of a result. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} on the context's connection with the columns as its parameters, in order. */
    public static void execute(DSLContext db, String sql, Column... columns) {
        db.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < columns.length; i++) {
                    ps.setArray(i + 1, c.createArrayOf(columns[i].type(), columns[i].values()));
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                throw translate(sql, e);
            }
        });
    }

    /** Like {@link #execute}, for a statement that returns rows ({@code RETURNING}, a select). */
    public static <T> List<T> query(DSLContext db, String sql, RowReader<T> reader, Column... columns) {
        List<T> out = new ArrayList<>();
        db.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < columns.length; i++) {
                    ps.setArray(i + 1, c.createArrayOf(columns[i].type(), columns[i].values()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(reader.read(rs));
                    }
                }
            } catch (SQLException e) {
                throw translate(sql, e);
            }
        });
        return out;
    }
}
