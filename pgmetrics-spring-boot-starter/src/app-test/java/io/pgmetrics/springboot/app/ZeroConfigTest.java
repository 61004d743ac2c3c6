package io.pgmetrics.springboot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.publish.micrometer.MicrometerBinder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The promise of the starter: an application with only the dependency and a datasource URL in its
 * application.properties serves the database's metrics on /actuator/prometheus and a pgmetrics health component.
 */
@SpringBootTest(
        classes = TestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // only for the health test: components and details are hidden by default
        properties = "management.endpoint.health.show-details=always")
@DirtiesContext
class ZeroConfigTest extends RealPostgres {

    @Value("${local.server.port}")
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void prometheusEndpointServesTheDatabasesMetrics() {
        String scrape = new Actuator(port).prometheus();

        assertThat(Actuator.sample(scrape, "pg_up", "")).contains(1.0);
        // a compat counter: Micrometer's Prometheus registry writes it with _total
        assertThat(Actuator.sample(scrape, "pg_stat_database_xact_commit_total", "datname=\"postgres\""))
                .hasValueSatisfying(v -> assertThat(v).isPositive());
        // next to the application's own meters, on the same registry
        assertThat(scrape).contains("jvm_memory_used_bytes");
    }

    @Test
    void oneInstanceOnTheApplicationsDataSource() {
        assertThat(context.getBeansOfType(PgMetrics.class)).hasSize(1);
        assertThat(context.getBeansOfType(MicrometerBinder.class)).hasSize(1);
        assertThat(context.getBean(PgMetrics.class).describe()).startsWith("application DataSource");
    }

    @Test
    void healthIndicatorReportsPgUp() {
        String health = new Actuator(port).get("/actuator/health/pgmetrics");

        assertThat(health).contains("\"status\":\"UP\"", "\"pg_up\":1", "\"version\":\"" + pg.major() + ".");
    }
}
