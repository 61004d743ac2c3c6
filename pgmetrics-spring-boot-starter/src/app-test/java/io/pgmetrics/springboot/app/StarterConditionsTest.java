package io.pgmetrics.springboot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.publish.micrometer.MicrometerBinder;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the starter does without a reachable server or with bad settings, in applications without a web server
 * (no PostgreSQL is started: the datasource points at a port nothing listens on, and pools connect lazily).
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

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("test.pg.port=" + closedPort)
                .properties(properties)
                .run();
    }

    @Test
    void disabledLeavesNothingBehind() {
        try (ConfigurableApplicationContext context = start("pgmetrics.enabled=false")) {
            assertThat(context.getBeansOfType(PgMetrics.class)).isEmpty();
            assertThat(context.getBeansOfType(MicrometerBinder.class)).isEmpty();
            assertThat(context.containsBean("pgmetricsHealthIndicator")).isFalse();
        }
    }

    @Test
    void healthIndicatorCanBeSwitchedOffAlone() {
        try (ConfigurableApplicationContext context = start("management.health.pgmetrics.enabled=false")) {
            assertThat(context.getBeansOfType(PgMetrics.class)).hasSize(1);
            assertThat(context.containsBean("pgmetricsHealthIndicator")).isFalse();
        }
    }

    @Test
    void unreachableServerIsDownWithoutThePassword() throws ReflectiveOperationException {
        try (ConfigurableApplicationContext context = start(
                "pgmetrics.connection.url=postgresql://localhost:" + closedPort + "/postgres?connect_timeout=2",
                "pgmetrics.connection.username=monitor", "pgmetrics.connection.password=" + PASSWORD)) {
            // Boot 3's and Boot 4's health types differ; both have health(), getStatus() and getDetails()
            Object indicator = context.getBean("pgmetricsHealthIndicator");
            assertThat(indicator.getClass().getInterfaces()).extracting(Class::getName).containsExactly(
                    bootHasHealthModule() ? "org.springframework.boot.health.contributor.HealthIndicator"
                            : "org.springframework.boot.actuate.health.HealthIndicator");
            Object health = indicator.getClass().getInterfaces()[0].getMethod("health").invoke(indicator);
            Object status = health.getClass().getMethod("getStatus").invoke(health);
            Map<?, ?> details = (Map<?, ?>) health.getClass().getMethod("getDetails").invoke(health);

            assertThat(status).hasToString("DOWN");
            assertThat(details.get("pg_up")).isEqualTo(0);
            assertThat(details.get("error")).asString().isNotBlank();
            assertThat(details.toString()).contains("monitor@localhost:" + closedPort).doesNotContain(PASSWORD);
        }
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
        assertThatThrownBy(() -> start("pgmetrics.query-files.cnpg=classpath:queries/app-cnpg.yaml,"
                        + "classpath:queries/no-such-file.yaml"))
                .hasStackTraceContaining("pgmetrics.query-files.cnpg[1] "
                        + "(class path resource [queries/no-such-file.yaml]): cannot read the query file");
    }

    @Test
    void wrongQueryFileSaysWhereAndWhat() {
        assertThatThrownBy(() -> start(
                        "pgmetrics.query-files.postgres-exporter=classpath:queries/broken-postgres-exporter.yaml"))
                .hasStackTraceContaining("pgmetrics.query-files.postgres-exporter[0] "
                        + "(class path resource [queries/broken-postgres-exporter.yaml]) has errors")
                .hasStackTraceContaining(
                        "[queries/broken-postgres-exporter.yaml]:5:16: query 'app_broken', column 'answer'")
                .hasStackTraceContaining("unknown usage 'GAUGEE'");
    }

    @Test
    void unknownCollectorIsAnError() {
        assertThatThrownBy(() -> start("pgmetrics.collectors.lokcs=false"))
                .hasStackTraceContaining("pgmetrics.collectors: no collector named [lokcs]");
    }
}
