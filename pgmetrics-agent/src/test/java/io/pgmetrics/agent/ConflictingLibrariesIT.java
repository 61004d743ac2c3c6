package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A host application that brings its own, different versions of pgjdbc (42.7.13), Jackson (2.17.2),
 * Prometheus client_java (1.5.0, with its own HTTP server) and SLF4J (1.7.36), and uses them all
 * while the agent runs: both keep working, and neither sees the other's classes, driver or metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConflictingLibrariesIT {

    private PgServer pg;
    private List<Path> classpath;

    @BeforeAll
    void setUp(@TempDir Path dir) {
        pg = PgServer.start(PgServer.defaultMajor());
        List<Path> libraries = HostApps.libraries();
        classpath = new ArrayList<>(libraries);
        classpath.add(0, HostApps.compile("ClashApp", dir, libraries));
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
    void hostAndAgentEachKeepTheirOwnLibraries(Jdk jdk) {
        int agentPort = Http.freePort();
        int hostPort = Http.freePort();
        try (ChildJvm host = ChildJvm.on(jdk)
                .agent(HostApps.agentJar(), "127.0.0.1:" + agentPort)
                .env("DATA_SOURCE_NAME", pg.monitorDsn())
                .env("HOST_DB_URL", pg.jdbcUrl("postgres"))
                .env("HOST_DB_USER", "postgres")
                .env("HOST_DB_PASSWORD", "postgres")
                .classpath(classpath)
                .main("ClashApp", Integer.toString(hostPort))
                .start()) {
            String agentMetrics =
                    host.awaitOk(agentPort, "/metrics", Duration.ofSeconds(60)).body();
            assertThat(PromText.firstValue(agentMetrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(1.0);
            CatalogExpectations.assertCatalogMetrics(agentMetrics, host);
            assertThat(agentMetrics).doesNotContain("host_ticks");

            // the host works on after the agent is up, with its own versions
            int seen = host.linesContaining("HOST ok").size();
            ChildJvm.Line ok = host.awaitLine(l -> l.startsWith("HOST ok tick=" + (seen + 2)), Duration.ofSeconds(20));
            assertThat(ok.text())
                    .contains("\"answer\":\"42\"")
                    .contains("pgjdbc=42.7.13")
                    .contains("jackson=2.17.2")
                    .contains(
                            "jars=postgresql-42.7.13.jar,jackson-databind-2.17.2.jar,prometheus-metrics-core-1.5.0.jar")
                    // the host's DriverManager holds the host's driver only
                    .contains("drivers=[org.postgresql.Driver@42.7]");
            assertThat(host.linesContaining("HOST FAIL")).as(host.output()).isEmpty();
            assertThat(host.linesContaining("INFO ClashApp - tick"))
                    .as("SLF4J 1.7 logging of the host")
                    .isNotEmpty();

            String hostMetrics =
                    host.awaitOk(hostPort, "/metrics", Duration.ofSeconds(10)).body();
            assertThat(PromText.firstValue(hostMetrics, "host_ticks_total", "").orElse(0))
                    .as(hostMetrics)
                    .isGreaterThan(0);
            assertThat(hostMetrics).doesNotContain("pg_up");
            System.out.println("CLASH " + jdk + ": " + ok.text());
        }
    }
}
