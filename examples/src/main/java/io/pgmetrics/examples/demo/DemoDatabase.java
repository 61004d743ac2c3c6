package io.pgmetrics.examples.demo;

import io.pgmetrics.examples.shop.Shop;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The demo's PostgreSQL: a real server from the embedded binaries on the classpath, set up the way a
 * monitored production server looks: a monitoring role that is only a member of {@code pg_monitor},
 * an application role, two application databases with tables, {@code pg_stat_statements}, and two
 * replication slots nobody consumes (the classic cause of a full disk).
 */
final class DemoDatabase implements AutoCloseable {

    static final String MONITOR_USER = "pgmetrics";
    static final String MONITOR_PASSWORD = "demo-monitor";
    static final String APP_USER = "shop_app";
    static final String APP_PASSWORD = "demo-shop";

    private final EmbeddedPostgres postgres;

    private DemoDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a fresh server on {@code port} (0: any free port) and creates roles, databases, tables and slots. */
    static DemoDatabase start(int port) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("track_io_timing", "on")
                .setServerConfig("track_functions", "all")
                .setServerConfig("autovacuum_naptime", "10s")
                // the demo closes the server itself, after the workload and the exporter
                .setRegisterShutdownHook(false);
        if (port > 0) {
            builder.setPort(port);
        }
        DemoDatabase db = new DemoDatabase(builder.start());
        try {
            db.setUp();
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private void setUp() throws SQLException {
        superuser(
                "postgres",
                "CREATE ROLE " + MONITOR_USER + " LOGIN PASSWORD '" + MONITOR_PASSWORD + "' CONNECTION LIMIT 10",
                "GRANT pg_monitor TO " + MONITOR_USER,
                // the application's role: pg_monitor as well, so the embedding examples run against it see every
                // statistic
                "CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'",
                "GRANT pg_monitor TO " + APP_USER,
                "CREATE DATABASE shop OWNER " + APP_USER,
                "CREATE DATABASE analytics OWNER " + APP_USER,
                "CREATE EXTENSION pg_stat_statements",
                "SELECT pg_create_physical_replication_slot('standby_gone', true)",
                "SELECT pg_create_logical_replication_slot('cdc_paused', 'pgoutput')");
        superuser("shop", "CREATE EXTENSION pg_stat_statements");
        try (Connection c = appDataSource("shop").getConnection()) {
            Shop.createSchema(c);
            try (Statement st = c.createStatement()) {
                st.execute("GRANT SELECT ON orders, jobs, stock TO " + MONITOR_USER); // the business-metrics queries
            }
        }
        try (Connection c = appDataSource("analytics").getConnection();
                Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE events (
                        id   bigserial PRIMARY KEY,
                        kind text NOT NULL,
                        at   timestamptz NOT NULL DEFAULT now(),
                        data jsonb
                    );
                    CREATE INDEX events_by_kind ON events (kind, at);
                    """);
        }
    }

    private void superuser(String database, String... statements) throws SQLException {
        try (Connection c = postgres.getDatabase("postgres", database).getConnection();
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    int port() {
        return postgres.getPort();
    }

    /** The monitoring role's connection string, as DATA_SOURCE_NAME takes it. */
    String monitorDsn() {
        return "postgresql://" + MONITOR_USER + ":" + MONITOR_PASSWORD + "@localhost:" + port()
                + "/postgres?sslmode=disable";
    }

    /** The application role's JDBC URL of a database, credentials included (what the embedding examples take). */
    String appJdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database + "?user=" + APP_USER + "&password="
                + APP_PASSWORD;
    }

    DataSource appDataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(appJdbcUrl(database));
        ds.setApplicationName("shop");
        return ds;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the demo's PostgreSQL", e);
        }
    }
}
