package io.pgmetrics.springboot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Every pgmetrics.* property in one application: a dedicated connection as the monitoring role while the
 * application's own pool connects as another, the strict naming profile, a collector switched off, a query file
 * of each format and a refresh interval longer than the test.
 */
@SpringBootTest(
        classes = TestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // the application's own role; pgmetrics connects as the monitoring role
            "spring.datasource.url=jdbc:postgresql://localhost:${test.pg.port}/postgres"
                    + "?user=postgres&password=postgres",
            "pgmetrics.connection.url=jdbc:postgresql://localhost:${test.pg.port}/postgres",
            "pgmetrics.connection.username=" + PgServer.MONITOR_USER,
            "pgmetrics.connection.password=" + PgServer.MONITOR_PASSWORD,
            "pgmetrics.profile=strict",
            "pgmetrics.collectors.locks=false",
            "pgmetrics.query-files.pgmetrics=classpath:queries/app-catalog.yaml",
            "pgmetrics.query-files.postgres-exporter=classpath:queries/app-postgres-exporter.yaml",
            "pgmetrics.query-files.cnpg=classpath:queries/app-cnpg.yaml",
            "pgmetrics.refresh-interval=1h",
            "management.endpoint.health.show-details=always"
        })
@DirtiesContext
class PropertiesTest extends RealPostgres {

    @Value("${local.server.port}")
    int port;

    @Autowired
    PgMetrics pgMetrics;

    @Test
    void dedicatedConnectionAsTheMonitoringRole() throws SQLException {
        String scrape = new Actuator(port).prometheus();

        assertThat(Actuator.sample(scrape, "pg_up", "")).contains(1.0);
        assertThat(pgMetrics.describe())
                .doesNotStartWith("application DataSource")
                .contains(PgServer.MONITOR_USER);
        assertThat(backendsOf(PgServer.MONITOR_USER, "pgmetrics")).isPositive();
        String health = new Actuator(port).get("/actuator/health/pgmetrics");
        assertThat(health).contains("\"status\":\"UP\"", "\"pg_up\":1");
        assertThat(scrape + health).doesNotContain(PgServer.MONITOR_PASSWORD);
    }

    @Test
    void namingProfileCollectorsAndQueryFiles() {
        String scrape = new Actuator(port).prometheus();

        // strict: the read time in seconds instead of postgres_exporter's milliseconds
        assertThat(Actuator.sample(scrape, "pg_stat_database_blk_read_time_seconds_total", "datname=\"postgres\""))
                .isPresent();
        assertThat(scrape).doesNotContain("pg_stat_database_blk_read_time_total");
        assertThat(scrape).doesNotContain("pg_locks_count");
        assertThat(Actuator.sample(scrape, "app_native_answer", "")).contains(41.0);
        assertThat(Actuator.sample(scrape, "app_legacy_answer", "")).contains(42.0);
        assertThat(Actuator.sample(scrape, "cnpg_app_cnpg_answer", "")).contains(43.0);
    }

    @Test
    void oneCollectionPerRefreshInterval() {
        Actuator actuator = new Actuator(port);
        double before = Actuator.sample(actuator.prometheus(), "pgmetrics_collections_total", "")
                .orElseThrow();
        actuator.get("/actuator/health/pgmetrics");
        double after = Actuator.sample(actuator.prometheus(), "pgmetrics_collections_total", "")
                .orElseThrow();

        assertThat(before).isPositive();
        assertThat(after).isEqualTo(before);
    }

    private static int backendsOf(String user, String applicationName) throws SQLException {
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + user
                        + "' AND application_name = '" + applicationName + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
