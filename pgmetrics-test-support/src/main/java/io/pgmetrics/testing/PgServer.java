package io.pgmetrics.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * A real PostgreSQL server of a chosen major version for tests, started from the embedded binaries
 * published on Maven Central (one jar per major, fetched into one folder by the build).
 *
 * <p>Every server has {@code pg_stat_statements} preloaded and a login role {@value #MONITOR_USER}
 * that is a member of {@code pg_monitor} and not a superuser: tests connect as that role, the way
 * users deploy the exporter.
 */
public final class PgServer implements AutoCloseable {

    public static final String MONITOR_USER = "pgm_monitor";
    public static final String MONITOR_PASSWORD = "s3cret-Monitor-Pw";

    /** The majors every version-matrix test runs on; override with -Dpgmetrics.test.versions=16,17. */
    public static List<Integer> supportedMajors() {
        String spec = System.getProperty("pgmetrics.test.versions", "13,14,15,16,17,18");
        return Arrays.stream(spec.split(","))
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
    }

    /** The major used by tests that need one server and do not care which. */
    public static int defaultMajor() {
        return Integer.getInteger("pgmetrics.test.default-version", 17);
    }

    private final int major;
    private final EmbeddedPostgres postgres;

    private PgServer(int major, EmbeddedPostgres postgres) {
        this.major = major;
        this.postgres = postgres;
    }

    public static PgServer start(int major) {
        return start(major, 0, null);
    }

    /**
     * Starts a server of that major. {@code port} 0 picks a free one; a given {@code dataDirectory}
     * lets a test stop a server and start it again on the same port and data.
     */
    public static PgServer start(int major, int port, Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(PgBinaries.resolver(major))
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("max_connections", "40")
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "4")
                    // so tests can leave a lock held by no session (PREPARE TRANSACTION)
                    .setServerConfig("max_prepared_transactions", "2")
                    .setServerConfig("track_io_timing", "on")
                    .setServerConfig("track_functions", "all");
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            PgServer server = new PgServer(major, builder.start());
            server.createMonitorRole();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL " + major, e);
        }
    }

    private void createMonitorRole() {
        superuserSql(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + MONITOR_USER + "') THEN "
                        + "CREATE ROLE " + MONITOR_USER + " LOGIN PASSWORD '" + MONITOR_PASSWORD + "'; END IF; END $$",
                "GRANT pg_monitor TO " + MONITOR_USER,
                "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }

    public int major() {
        return major;
    }

    public int port() {
        return postgres.getPort();
    }

    /** A libpq URL for the monitoring role (password included, as users write it). */
    public String monitorDsn() {
        return monitorDsn("postgres");
    }

    public String monitorDsn(String database) {
        return "postgresql://" + MONITOR_USER + ":" + MONITOR_PASSWORD + "@localhost:" + port() + "/" + database
                + "?sslmode=disable";
    }

    /** A JDBC URL without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public Connection superuserConnection() throws SQLException {
        return superuserConnection("postgres");
    }

    public Connection superuserConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
    }

    public Connection monitorConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), MONITOR_USER, MONITOR_PASSWORD);
    }

    /** Runs statements as the superuser in the postgres database, each in autocommit. */
    public void superuserSql(String... statements) {
        superuserSqlIn("postgres", statements);
    }

    public void superuserSqlIn(String database, String... statements) {
        try (Connection c = superuserConnection(database);
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
        }
    }

    /** Number of backends connected as the monitoring role (what the exporter holds open). */
    public int monitorBackends() {
        try (Connection c = superuserConnection();
                Statement st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + MONITOR_USER + "'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + major;
    }
}
