package io.pgmetrics.bench;

import io.pgmetrics.testing.PgBinaries;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one PostgreSQL server both exporters watch: the embedded binaries of one major from the
 * build's {@code target/pg-binaries} folder, with {@code pg_stat_statements} preloaded, enough
 * connections for postgres_exporter's one-connection-per-database auto-discovery, and every
 * connection logged so that connections per scrape can be counted per role.
 *
 * <p>The exporters' roles log in over TCP with the authentication of {@link Auth}: {@code
 * scram-sha-256} by default, as PostgreSQL 14 and later and every managed service configure it, so
 * that a new connection costs what it costs in production. The harness's own superuser connections
 * are trusted: they are not measured.
 */
final class BenchServer implements AutoCloseable {

    static final String PASSWORD = "bench-pw";

    /** How the measured roles authenticate (the pg_hba.conf method). */
    enum Auth {
        SCRAM("scram-sha-256"),
        TRUST("trust");

        final String method;

        Auth(String method) {
            this.method = method;
        }

        static Auth parse(String method) {
            for (Auth a : values()) {
                if (a.method.equals(method) || a.name().equalsIgnoreCase(method)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("--auth=" + method + ": expected scram-sha-256 or trust");
        }
    }

    private final EmbeddedPostgres postgres;
    private final Path log;

    private BenchServer(EmbeddedPostgres postgres, Path log) {
        this.postgres = postgres;
        this.log = log;
    }

    static BenchServer start(int major, Path binaries, Path workDir, int maxConnections, Auth auth) throws IOException {
        Path logDir = workDir.resolve("pglog");
        Files.createDirectories(logDir);
        Path hba = workDir.resolve("pg_hba.conf");
        Files.writeString(hba, hbaRules(auth));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPgBinaryResolver(PgBinaries.resolver(PgBinaries.jar(binaries, major)))
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                // room for every statement of both exporters in 1,000 databases (entries are per database)
                .setServerConfig("pg_stat_statements.max", "20000")
                .setServerConfig("max_connections", Integer.toString(maxConnections))
                // 10,000 tables created (and dropped) in one transaction
                .setServerConfig("max_locks_per_transaction", "256")
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", logDir.toAbsolutePath().toString())
                .setServerConfig("log_filename", "postgresql.log")
                .setServerConfig("log_connections", "on")
                .setServerConfig("hba_file", hba.toAbsolutePath().toString())
                .setServerConfig("password_encryption", "scram-sha-256")
                // autovacuum visiting 1,000 databases every minute is noise both exporters would pay for
                .setServerConfig("autovacuum_naptime", "10min")
                .start();
        return new BenchServer(pg, logDir.resolve("postgresql.log"));
    }

    /** The harness's superuser is trusted (not measured); every other role logs in with {@code auth}. */
    static String hbaRules(Auth auth) {
        return "# written by the benchmark\n"
                + "local all postgres trust\n"
                + "host all postgres 127.0.0.1/32 trust\n"
                + "host all postgres ::1/128 trust\n"
                + "host all all 127.0.0.1/32 " + auth.method + "\n"
                + "host all all ::1/128 " + auth.method + "\n";
    }

    int port() {
        return postgres.getPort();
    }

    Path log() {
        return log;
    }

    /** A libpq URL for {@code role} (both exporters read this form from DATA_SOURCE_NAME). */
    String dsn(String role, String database) {
        return "postgresql://" + role + ":" + PASSWORD + "@127.0.0.1:" + port() + "/" + database + "?sslmode=disable";
    }

    Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port() + "/" + database, "postgres", "postgres");
    }

    void sql(String database, String... statements) throws SQLException {
        try (Connection c = superuser(database);
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = superuser("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String queryText(String sql) throws SQLException {
        try (Connection c = superuser("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * A login role that is a member of pg_monitor and nothing more, as both exporters are deployed;
     * its password is stored as a SCRAM verifier (password_encryption), which the check below confirms.
     */
    void createMonitorRole(String role) throws SQLException {
        sql("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'", "GRANT pg_monitor TO " + role);
        String stored = queryText("SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = '" + role + "'");
        if (!"SCRAM-SHA-256$".equals(stored)) {
            throw new SQLException("the password of " + role + " is not stored as a SCRAM verifier");
        }
    }

    /** The authentication method the server applies to a role's TCP logins, from pg_hba_file_rules. */
    String authMethodOf(String role) throws SQLException {
        return queryText("SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' AND address = '127.0.0.1'"
                + " AND ('" + role + "' = ANY (user_name) OR 'all' = ANY (user_name)) ORDER BY line_number LIMIT 1");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /** The folder of binaries jars: -Dpgmetrics.pg.binaries, else target/pg-binaries above the working directory. */
    static Path binariesDirectory() {
        return PgBinaries.directory();
    }
}
