package io.siyu.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which database the integration tests run on: {@code -Dsiyu.test.db=h2|postgresql} (the build runs
 * both). PostgreSQL is the local server on 127.0.0.1:5432; each test JVM gets a fresh database.
 * Without it the PostgreSQL run fails in CI ({@code CI=true}) and is skipped elsewhere.
 */
public final class TestDatabase implements ExecutionCondition {

    public static final String KIND = System.getProperty("siyu.test.db", "h2");
    private static final String PG_HOST = env("SIYU_TEST_PG_HOST", "127.0.0.1");
    private static final String PG_PORT = env("SIYU_TEST_PG_PORT", "5432");
    private static final String PG_USER = env("SIYU_TEST_PG_USER", "postgres");
    private static final String PG_DB = "siyu_it_" + ProcessHandle.current().pid();
    private static Boolean prepared;

    public static boolean isPostgres() {
        return "postgresql".equals(KIND);
    }

    public static String url() {
        return isPostgres()
                ? "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + PG_DB
                : "jdbc:h2:mem:siyu-it;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
    }

    public static String user() {
        return isPostgres() ? PG_USER : "sa";
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!isPostgres()) {
            return ConditionEvaluationResult.enabled("H2");
        }
        if (preparePostgres()) {
            return ConditionEvaluationResult.enabled("PostgreSQL database " + PG_DB);
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("PostgreSQL is required in CI but " + PG_HOST + ":" + PG_PORT
                    + " cannot be reached; .ci/run should have started it");
        }
        return ConditionEvaluationResult.disabled("PostgreSQL not reachable at " + PG_HOST + ":" + PG_PORT
                + " — start it to run the PostgreSQL integration tests");
    }

    public static synchronized boolean preparePostgres() {
        if (prepared == null) {
            String admin = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres";
            try (Connection c = DriverManager.getConnection(admin, PG_USER, ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + PG_DB);
                s.execute("CREATE DATABASE " + PG_DB);
                prepared = true;
                Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropPostgres));
            } catch (SQLException e) {
                prepared = false;
            }
        }
        return prepared;
    }

    private static void dropPostgres() {
        String admin = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PG_DB + " WITH (FORCE)");
        } catch (SQLException ignored) {
            // best effort: a leftover test database is harmless and dropped by name next time
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
