package io.pgmetrics.springboot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.publish.micrometer.MicrometerBinder;
import io.pgmetrics.springboot.PgMetricsAutoConfiguration;
import io.pgmetrics.springboot.PgMetricsBoot3HealthAutoConfiguration;
import io.pgmetrics.springboot.PgMetricsBoot4HealthAutoConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter's conditions and errors, in small contexts of its own auto-configurations (the application tests
 * cover the full application). No PostgreSQL is started: the DataSource points at a port nothing listens on.
 */
class StarterConditionsTest {

    private static final String PASSWORD = "Never-Shown-9f3";

    private static int closedPort;

    @BeforeAll
    static void findClosedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    PgMetricsAutoConfiguration.class,
                    PgMetricsBoot3HealthAutoConfiguration.class,
                    PgMetricsBoot4HealthAutoConfiguration.class))
            .withBean(DataSource.class, () -> {
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setURL("jdbc:postgresql://localhost:" + closedPort + "/postgres");
                return ds;
            });

    @Test
    void allOnByDefault() {
        runner.run(context -> {
            assertThat(context)
                    .hasSingleBean(PgMetrics.class)
                    .hasSingleBean(MicrometerBinder.class)
                    .hasBean("pgmetricsHealthIndicator");
        });
    }

    @Test
    void disabledLeavesNothingBehind() {
        runner.withPropertyValues("pgmetrics.enabled=false").run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(PgMetrics.class)
                    .doesNotHaveBean(MicrometerBinder.class)
                    .doesNotHaveBean("pgmetricsHealthIndicator");
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOffAlone() {
        runner.withPropertyValues("management.health.pgmetrics.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(PgMetrics.class).doesNotHaveBean("pgmetricsHealthIndicator");
        });
    }

    @Test
    void withoutDataSourceOrUrlNothingIsConfigured() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PgMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PgMetrics.class));
    }

    @Test
    void unreachableServerIsDownWithoutThePassword() {
        runner.withPropertyValues(
                        "pgmetrics.connection.url=postgresql://localhost:" + closedPort + "/postgres?connect_timeout=2",
                        "pgmetrics.connection.username=monitor",
                        "pgmetrics.connection.password=" + PASSWORD)
                .run(context -> {
                    // binding at start does not fail: pg_up says the server is down
                    MeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(MicrometerBinder.class).bindTo(registry);
                    assertThat(registry.get("pg_up").gauge().value()).isZero();

                    // Boot 3's and Boot 4's health types differ; both have health(), getStatus() and getDetails()
                    Object indicator = context.getBean("pgmetricsHealthIndicator");
                    assertThat(indicator.getClass().getInterfaces())
                            .extracting(Class::getName)
                            .containsExactly(
                                    bootHasHealthModule()
                                            ? "org.springframework.boot.health.contributor.HealthIndicator"
                                            : "org.springframework.boot.actuate.health.HealthIndicator");
                    Object health = indicator
                            .getClass()
                            .getInterfaces()[0]
                            .getMethod("health")
                            .invoke(indicator);
                    Object status = health.getClass().getMethod("getStatus").invoke(health);
                    Map<?, ?> details = (Map<?, ?>)
                            health.getClass().getMethod("getDetails").invoke(health);

                    assertThat(status).hasToString("DOWN");
                    assertThat(details.get("pg_up")).isEqualTo(0);
                    assertThat(details.get("error")).asString().isNotBlank();
                    assertThat(details.toString())
                            .contains("monitor:****@localhost:" + closedPort)
                            .doesNotContain(PASSWORD);
                });
    }

    /** Boot 4 has the health API in its own module; Boot 3 in Actuator. */
    private static boolean bootHasHealthModule() {
        try {
            Class.forName("org.springframework.boot.health.contributor.HealthIndicator");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void missingQueryFileNamesThePropertyAndTheFile() {
        runner.withPropertyValues("pgmetrics.query-files.cnpg=classpath:queries/app-cnpg.yaml,"
                        + "classpath:queries/no-such-file.yaml")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("pgmetrics.query-files.cnpg[1] "
                                + "(class path resource [queries/no-such-file.yaml]): cannot read the query file"));
    }

    @Test
    void wrongQueryFileSaysWhereAndWhat() {
        runner.withPropertyValues(
                        "pgmetrics.query-files.postgres-exporter=classpath:queries/broken-postgres-exporter.yaml")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("pgmetrics.query-files.postgres-exporter[0] "
                                + "(class path resource [queries/broken-postgres-exporter.yaml]) has errors")
                        .hasStackTraceContaining(
                                "[queries/broken-postgres-exporter.yaml]:5:16: query 'app_broken', column 'answer'")
                        .hasStackTraceContaining("unknown usage 'GAUGEE'"));
    }

    @Test
    void unknownCollectorIsAnError() {
        runner.withPropertyValues("pgmetrics.collectors.lokcs=false")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("pgmetrics.collectors: no collector named [lokcs]"));
    }
}
