package io.pgmetrics.queries;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.testing.PgServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The settings collectors report what the server gives its sessions, not what the monitoring
 * session set for itself (its timeouts, its read-only transaction, what the driver sends at login):
 * postgres_exporter sets none of these, so a drop-in must not either.
 */
class ServerSettingsTest {

    private static final Catalog SETTINGS = BuiltinCatalog.load()
            .filter(q -> Set.of("settings", "settings_info").contains(q.collector()));

    static PgServer pg;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        // the server's values: from the server's configuration, and for the monitoring role
        pg.superuserSql(
                "ALTER SYSTEM SET statement_timeout = '42s'",
                "ALTER SYSTEM SET extra_float_digits = 2",
                "SELECT pg_reload_conf()",
                "ALTER ROLE " + PgServer.MONITOR_USER + " SET lock_timeout = '7s'");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void theExportersOwnPoolReportsTheServersValuesNotItsSessionTimeouts() {
        try (PgMetrics m =
                PgMetrics.builder().dsn(pg.monitorDsn()).catalog(SETTINGS).build()) {
            assertServersValues(m.collect());
        }
    }

    @Test
    void anApplicationsDataSourceReportsTheServersValuesNotItsSetLocalTimeouts() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl("postgres"));
        ds.setUser(PgServer.MONITOR_USER);
        ds.setPassword(PgServer.MONITOR_PASSWORD);
        try (PgMetrics m = PgMetrics.builder().dataSource(ds).catalog(SETTINGS).build()) {
            assertServersValues(m.collect());
        }
    }

    private static void assertServersValues(CollectionResult c) {
        assertThat(c.failures()).isEmpty();
        assertThat(value(c, "pg_settings_statement_timeout_seconds"))
                .as("statement_timeout from ALTER SYSTEM")
                .contains(42.0);
        assertThat(value(c, "pg_settings_lock_timeout_seconds"))
                .as("lock_timeout from ALTER ROLE ... SET")
                .contains(7.0);
        assertThat(value(c, "pg_settings_transaction_read_only"))
                .as("a new session's transactions are read-write; ours are read-only")
                .contains(0.0);
        assertThat(value(c, "pg_settings_extra_float_digits"))
                .as("from ALTER SYSTEM; a driver that sent it at login would hide it")
                .contains(2.0);
        List<Map<String, String>> info = c.family("pg_settings_info").map(MetricFamily::samples).orElseThrow().stream()
                .map(smp -> smp.labels().asMap())
                .toList();
        assertThat(info)
                .as("text settings the driver sent at login (the server's cannot be read), or set after it"
                        + " (the server's: empty)")
                .noneMatch(
                        l -> Set.of("DateStyle", "TimeZone", "client_encoding").contains(l.get("name")))
                .noneMatch(l -> l.get("name").equals("application_name")
                        && !l.get("setting").isEmpty())
                .anyMatch(l -> l.get("name").equals("wal_level"));
    }

    private static Optional<Double> value(CollectionResult c, String family) {
        return c.family(family).flatMap(f -> f.value(Labels.EMPTY));
    }
}
