package io.siyu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

/** Array statements fail as jOOQ's statements do, so that callers retry lost races alike. */
class ArrayStatementTest {

    @Test
    void failuresBecomeSpringsDataAccessExceptionsBySqlState() {
        assertThat(ArrayStatement.translate("insert", new SQLException("dup", "23505")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(ArrayStatement.translate("update", new SQLException("deadlock detected", "40P01")))
                .isInstanceOf(ConcurrencyFailureException.class);
        assertThat(ArrayStatement.translate("update", new SQLException("could not serialize", "40001")))
                .isInstanceOf(ConcurrencyFailureException.class);
        assertThat(ArrayStatement.translate("insert", new SQLException("fk", "23503")))
                .isInstanceOf(DataIntegrityViolationException.class).isNotInstanceOf(DuplicateKeyException.class);
        RuntimeException other = ArrayStatement.translate("select", new SQLException("odd", "XX999"));
        assertThat(other).isInstanceOf(org.springframework.dao.DataAccessException.class);
        assertThat(other.getCause()).hasMessage("odd");
    }
}
