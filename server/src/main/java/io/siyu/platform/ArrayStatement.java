package io.siyu.platform;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * PostgreSQL: a statement whose parameters are whole columns, passed as arrays and read back with
 * {@code unnest}. Its text never changes with the row count, so it is parsed and planned once per
 * connection, and its rows go through one executor run instead of one per row. Rows are added one
 * by one ({@link #rows}); a value for a {@code varchar} column that is not a string is passed as its
 * text (the statement casts it back: {@code ::timestamptz}, {@code ::date}, {@code ::numeric}).
 * Failures come as Spring's data access exceptions, as from statements jOOQ runs: a unique violation
 * is a {@link org.springframework.dao.DuplicateKeyException}, a deadlock or serialisation failure a
 * {@link org.springframework.dao.ConcurrencyFailureException}, so callers retry lost races alike.
 */
public final class ArrayStatement {

    private static final SQLExceptionTranslator TRANSLATOR = new SQLStateSQLExceptionTranslator();

    private final String[] types;
    private final List<Object[]> rows = new ArrayList<>();

    private ArrayStatement(String[] types) {
        this.types = types;
    }

    /** A statement whose parameters are columns of these PostgreSQL element types, in order. */
    public static ArrayStatement rows(String... types) {
        return new ArrayStatement(types);
    }

    /** Reads one value from the current row of a result. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Adds a row: one value per column. */
    public ArrayStatement add(Object... values) {
        if (values.length != types.length) {
            throw new IllegalArgumentException(types.length + " columns, " + values.length + " values");
        }
        rows.add(values);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * Runs {@code sql} on the context's connection with the columns as its parameters; returns the
     * number of rows it changed.
     */
    public int execute(DSLContext db, String sql) {
        int[] changed = new int[1];
        db.connection(c -> {
            try (PreparedStatement ps = prepare(c, sql)) {
                changed[0] = ps.executeUpdate();
            } catch (SQLException e) {
                throw translate(sql, e);
            }
        });
        return changed[0];
    }

    /** Like {@link #execute}, for a statement that returns rows ({@code RETURNING}, a select). */
    public <T> List<T> query(DSLContext db, String sql, RowReader<T> reader) {
        List<T> out = new ArrayList<>();
        db.connection(c -> {
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            } catch (SQLException e) {
                throw translate(sql, e);
            }
        });
        return out;
    }

    /**
     * Like {@link #query}, reading the result as records of {@code fields} (by position), so that
     * callers map them as they map the records of queries jOOQ builds. jOOQ does not render the
     * statement: its text is given.
     */
    public org.jooq.Result<org.jooq.Record> fetch(DSLContext db, String sql, org.jooq.Field<?>... fields) {
        List<org.jooq.Result<org.jooq.Record>> out = new ArrayList<>(1);
        db.connection(c -> {
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                out.add(db.fetch(rs, fields));
            } catch (SQLException e) {
                throw translate(sql, e);
            }
        });
        return out.getFirst();
    }

    /** A statement whose single parameter is these ids, as a {@code bigint[]}. */
    public static ArrayStatement ids(java.util.Collection<Long> ids) {
        ArrayStatement s = rows("bigint");
        for (Long id : ids) {
            s.add(id);
        }
        return s;
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int col = 0; col < types.length; col++) {
                ps.setArray(col + 1, c.createArrayOf(types[col], column(col)));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /**
     * One column's values as a Java array of the element type's class where the driver sends that in
     * PostgreSQL's binary array format ({@code bigint}, {@code integer}, {@code boolean}, {@code varchar}):
     * the server then neither parses nor unescapes array text, and no text is built and escaped here.
     * Other types go as text.
     */
    private Object[] column(int col) {
        int n = rows.size();
        return switch (types[col]) {
            case "bigint" -> fill(col, new Long[n], v -> ((Number) v).longValue());
            case "integer" -> fill(col, new Integer[n], v -> ((Number) v).intValue());
            case "boolean" -> fill(col, new Boolean[n], v -> (Boolean) v);
            case "varchar" -> fill(col, new String[n],
                    v -> v instanceof String text ? text : v instanceof BigDecimal d ? d.toPlainString() : v.toString());
            default -> fill(col, new Object[n], v -> v);
        };
    }

    /** Fills {@code column} with column {@code col} of every row, each value not null converted by {@code value}. */
    private <T> T[] fill(int col, T[] column, java.util.function.Function<Object, T> value) {
        for (int r = 0; r < column.length; r++) {
            Object v = rows.get(r)[col];
            column[r] = v == null ? null : value.apply(v);
        }
        return column;
    }

    /** {@code e} as Spring's data access exception (by its SQL state). */
    static RuntimeException translate(String sql, SQLException e) {
        DataAccessException translated = TRANSLATOR.translate("array statement", sql, e);
        return translated != null ? translated : new UncategorizedSQLException("array statement", sql, e);
    }
}
