package io.pgmetrics.test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running PostgreSQL server a test checks queries on: embedded or in a container, with a login role
 * {@value #MONITOR_ROLE} that is a member of {@code pg_monitor} and nothing more, the way the exporter is
 * deployed. Its password is made up per server and never shown ({@link #toString} names the server only).
 */
public final class PostgresServer implements AutoCloseable {

    /** The monitoring role queries run as; grant it what your queries read, e.g. in {@code setup(..)}. */
    public static final String MONITOR_ROLE = "pgmetrics_monitor";

    private final String host;
    private final int port;
    private final String superuser;
    private final String superuserPassword;
    private final String monitorPassword;
    private final String kind;
    private final AutoCloseable stop;
    private final int versionNum;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Takes over a started server: creates the monitoring role and reads the version.
     *
     * @param kind how messages name where it runs, e.g. "embedded" or the container image
     * @param stop stops the server
     */
    PostgresServer(String host, int port, String superuser, String superuserPassword, String kind, AutoCloseable stop) {
        this.host = host;
        this.port = port;
        this.superuser = superuser;
        this.superuserPassword = superuserPassword;
        this.kind = kind;
        this.stop = stop;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.monitorPassword = HexFormat.of().formatHex(random);
        try (Connection c = superuserConnection("postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + MONITOR_ROLE + " LOGIN PASSWORD '" + monitorPassword + "'");
            st.execute("GRANT pg_monitor TO " + MONITOR_ROLE);
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rs.next();
                this.versionNum = rs.getInt(1);
            }
        } catch (SQLException e) {
            close();
            throw new IllegalStateException(
                    "cannot prepare " + kind + " PostgreSQL on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The major version, e.g. 16. */
    public int major() {
        return versionNum / 10000;
    }

    /** The version as PostgreSQL names it, e.g. "16.4". */
    public String version() {
        return major() + "." + versionNum % 10000;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A libpq URL for the monitoring role in database {@code postgres}, for {@code PgMetrics.builder().dsn(..)}. */
    public String monitorDsn() {
        return monitorDsn("postgres");
    }

    public String monitorDsn(String database) {
        return "postgresql://" + MONITOR_ROLE + ":" + monitorPassword + "@" + host + ":" + port + "/" + database
                + "?sslmode=disable";
    }

    /** A JDBC URL without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A connection as the superuser, for setting up what the queries read. */
    public Connection superuserConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), superuser, superuserPassword);
    }

    /** Runs statements as the superuser in {@code database}, each in autocommit. */
    public void execute(String database, String... statements) {
        try (Connection c = superuserConnection(database);
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "setup SQL failed on " + this + " in database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            stop.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop " + this, e);
        }
    }

    /** "PostgreSQL 16.4 (embedded)": no address, no credentials. */
    @Override
    public String toString() {
        return "PostgreSQL " + (versionNum == 0 ? "" : version() + " ") + "(" + kind + ")";
    }
}
