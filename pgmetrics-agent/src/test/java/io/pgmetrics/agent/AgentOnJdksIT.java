package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shaded agent in real child JVMs (Java 17 and Temurin 25) serving an embedded PostgreSQL's
 * metrics from inside a host application that knows nothing about it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentOnJdksIT {

    private PgServer pg;
    private Path idleApp;

    @BeforeAll
    void setUp(@TempDir Path dir) {
        pg = PgServer.start(PgServer.defaultMajor());
        idleApp = HostApps.compile("IdleApp", dir, List.of());
    }

    @AfterAll
    void tearDown() {
        if (pg != null) {
            pg.close();
        }
    }

    Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void servesTheDatabaseMetricsFromInsideTheHost(Jdk jdk) {
        int port = Http.freePort();
        try (ChildJvm host = ChildJvm.on(jdk)
                .agent(HostApps.agentJar(), "127.0.0.1:" + port)
                .env("DATA_SOURCE_NAME", pg.monitorDsn())
                .classpath(List.of(idleApp))
                .main("IdleApp", "run")
                .start()) {
            String metrics =
                    host.awaitOk(port, "/metrics", Duration.ofSeconds(60)).body();
            assertThat(PromText.firstValue(metrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(1.0);
            CatalogExpectations.assertCatalogMetrics(metrics, host);

            assertThat(Http.tryGet(port, "/healthz"))
                    .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(200));
            assertThat(Http.tryGet(port, "/"))
                    .hasValueSatisfying(r -> assertThat(r.body()).contains("/metrics"));

            ChildJvm.Line ready = host.awaitLine(
                    l -> l.contains("pgmetrics agent: serving http://127.0.0.1:" + port + "/metrics"),
                    Duration.ofSeconds(5));
            assertThat(ready.text()).contains("the database from DATA_SOURCE_NAME");
            System.out.println(
                    "AGENT " + jdk + ": " + ready.text().substring(ready.text().indexOf("pgmetrics agent:")));

            // the host went on with its own work, and once the agent was serving its DriverManager held no
            // agent driver (while the agent starts, its driver is registered for the instant between the
            // class's self-registration and the deregistration: DriverIsolation explains why that is accepted)
            int seen = host.linesContaining("HOST alive").size();
            host.awaitLine(l -> l.startsWith("HOST alive tick=" + (seen + 2)), Duration.ofSeconds(10));
            var ticks = host.linesContaining("HOST alive");
            assertThat(ticks.subList(seen, ticks.size()))
                    .isNotEmpty()
                    .allSatisfy(l -> assertThat(l.text()).endsWith("drivers=[]"));
            assertThat(host.output()).doesNotContain(PgServer.MONITOR_PASSWORD);
        }
    }

    @Test
    void takesTheConnectionFromSpringBootEnvironmentVariables() {
        int port = Http.freePort();
        try (ChildJvm host = ChildJvm.on(Jdk.current())
                .agent(HostApps.agentJar(), "127.0.0.1:" + port)
                .env("SPRING_DATASOURCE_URL", pg.jdbcUrl("postgres"))
                .env("SPRING_DATASOURCE_USERNAME", PgServer.MONITOR_USER)
                .env("SPRING_DATASOURCE_PASSWORD", PgServer.MONITOR_PASSWORD)
                .classpath(List.of(idleApp))
                .main("IdleApp", "run")
                .start()) {
            String metrics =
                    host.awaitOk(port, "/metrics", Duration.ofSeconds(60)).body();
            assertThat(PromText.firstValue(metrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(1.0);
            host.awaitLine(
                    l -> l.contains("for the database from environment variable SPRING_DATASOURCE_URL"),
                    Duration.ofSeconds(5));
            assertThat(host.output()).doesNotContain(PgServer.MONITOR_PASSWORD);
        }
    }

    @Test
    void takesTheConnectionFromSpringBootSystemProperties() {
        int port = Http.freePort();
        try (ChildJvm host = ChildJvm.on(Jdk.current())
                .agent(HostApps.agentJar(), "127.0.0.1:" + port)
                .jvmOption("-Dspring.datasource.url=" + pg.jdbcUrl("postgres"))
                .jvmOption("-Dspring.datasource.username=" + PgServer.MONITOR_USER)
                .jvmOption("-Dspring.datasource.password=" + PgServer.MONITOR_PASSWORD)
                .classpath(List.of(idleApp))
                .main("IdleApp", "run")
                .start()) {
            String metrics =
                    host.awaitOk(port, "/metrics", Duration.ofSeconds(60)).body();
            assertThat(PromText.firstValue(metrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(1.0);
            host.awaitLine(
                    l -> l.contains("for the database from system property spring.datasource.url"),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    void boundsItsConnectionsAndMemoryFromTheConfigFile(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(
                dir.resolve("agent.yaml"),
                String.join(
                        "\n",
                        "connections:",
                        "  max_per_target: 1",
                        "limits:",
                        "  max_series: 40",
                        "  max_rows: 3",
                        ""));
        int port = Http.freePort();
        try (ChildJvm host = ChildJvm.on(Jdk.current())
                .agent(HostApps.agentJar(), "127.0.0.1:" + port + ":" + config)
                .env("DATA_SOURCE_NAME", pg.monitorDsn())
                .classpath(List.of(idleApp))
                .main("IdleApp", "run")
                .start()) {
            String metrics =
                    host.awaitOk(port, "/metrics", Duration.ofSeconds(60)).body();
            assertThat(PromText.firstValue(metrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(1.0);
            assertThat(PromText.firstValue(metrics, "pgmetrics_series_over_limit_total", "")
                            .orElse(0))
                    .as("series left out at the limit")
                    .isGreaterThan(0);
            List<String> querySeries = metrics.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .filter(l -> !SELF_METRIC.matcher(l).lookingAt())
                    .toList();
            assertThat(querySeries).as("series of catalog queries").isNotEmpty().hasSizeLessThanOrEqualTo(40);
            Matcher rows = Pattern.compile("(?m)^pgmetrics_query_rows\\{[^}]*\\} (\\S+)")
                    .matcher(metrics);
            int queries = 0;
            while (rows.find()) {
                queries++;
                assertThat(Double.parseDouble(rows.group(1))).as(rows.group()).isLessThanOrEqualTo(3);
            }
            assertThat(queries).as("pgmetrics_query_rows series").isPositive();
            for (int i = 0; i < 3; i++) {
                host.awaitOk(port, "/metrics", Duration.ofSeconds(30));
                assertThat(pg.monitorBackends())
                        .as("connections of the monitoring role")
                        .isLessThanOrEqualTo(1);
            }
            System.out.println("LIMITS: " + querySeries.size() + " query series served, "
                    + PromText.firstValue(metrics, "pgmetrics_series_over_limit_total", "")
                            .orElse(0) + " left out");
        }
    }

    /** The exporter's and engine's own families: everything else comes from catalog queries. */
    private static final Pattern SELF_METRIC =
            Pattern.compile("pg_up\\b|pg_scrape_|pgmetrics_|pg_exporter_|postgres_exporter_|process_|jvm_");
}
