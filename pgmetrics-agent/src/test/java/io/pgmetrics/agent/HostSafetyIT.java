package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PromText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent never harms its host: an unreachable database, a taken port, a malformed argument or a
 * missing config file each cost one line in the host's log, and the host runs on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostSafetyIT {

    private static final String SECRET = "never-Log-This-9";

    private Path idleApp;

    @BeforeAll
    void setUp(@TempDir Path dir) {
        idleApp = HostApps.compile("IdleApp", dir, List.of());
    }

    Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    private ChildJvm.Builder host(Jdk jdk, String agentArgument) {
        return ChildJvm.on(jdk)
                .agent(HostApps.agentJar(), agentArgument)
                .classpath(List.of(idleApp))
                .main("IdleApp", "run");
    }

    /** The host keeps printing its heartbeat: three more beats. */
    private static void assertHostRunsOn(ChildJvm host) {
        int seen = host.linesContaining("HOST alive").size();
        host.awaitLine(l -> l.startsWith("HOST alive tick=" + (seen + 3)), Duration.ofSeconds(10));
        assertThat(host.isAlive()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anUnreachableDatabaseIsOneLineAndPgUpZero(Jdk jdk) {
        int port = Http.freePort();
        int nothingListens = Http.freePort();
        try (ChildJvm host = host(jdk, "127.0.0.1:" + port)
                .env(
                        "DATA_SOURCE_NAME",
                        "postgresql://monitor:" + SECRET + "@127.0.0.1:" + nothingListens + "/postgres?sslmode=disable")
                .start()) {
            host.awaitLine(l -> l.contains("pgmetrics agent:") && l.contains("unreachable"), Duration.ofSeconds(30));
            String metrics =
                    host.awaitOk(port, "/metrics", Duration.ofSeconds(30)).body();
            assertThat(PromText.firstValue(metrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(0.0);
            ChildJvm.sleep(500); // lets the log lines of that first scrape arrive
            int logLines = countErr(host);
            for (int scrape = 0; scrape < 3; scrape++) { // more scrapes retry, and do not flood the host's log
                metrics = host.awaitOk(port, "/metrics", Duration.ofSeconds(30)).body();
                assertThat(PromText.firstValue(metrics, "pg_up", ""))
                        .as(host.output())
                        .hasValue(0.0);
            }
            assertHostRunsOn(host);
            ChildJvm.sleep(500);
            assertThat(host.linesContaining("unreachable")).as(host.output()).hasSize(1);
            assertThat(countErr(host)).as(host.output()).isEqualTo(logLines);
            assertThat(host.output()).doesNotContain(SECRET);
            System.out.println("UNREACHABLE " + jdk + ": "
                    + host.linesContaining("unreachable").get(0).text());
        }
    }

    private static int countErr(ChildJvm host) {
        return (int) host.lines().stream().filter(l -> l.stream().equals("err")).count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aTakenPortIsOneLineAndTheHostRunsOn(Jdk jdk) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            try (ChildJvm host = host(jdk, Integer.toString(port)).start()) {
                ChildJvm.Line line = host.awaitLine(l -> l.contains("pgmetrics agent:"), Duration.ofSeconds(30));
                assertHostRunsOn(host);
                assertThat(line.text())
                        .contains("cannot listen on :" + port)
                        .contains("the port is in use")
                        .contains("the application runs on");
                assertThat(host.linesContaining("pgmetrics agent:"))
                        .as(host.output())
                        .hasSize(1);
                assertThat(host.output()).doesNotContain("Exception in thread").doesNotContain("\tat ");
                System.out.println("TAKEN PORT " + jdk + ": " + line.text());
            }
        }
    }

    @Test
    void aMalformedArgumentIsOneLineAndTheHostRunsOn() {
        try (ChildJvm host = host(Jdk.current(), "localhost:http").start()) {
            ChildJvm.Line line = host.awaitLine(l -> l.contains("pgmetrics agent:"), Duration.ofSeconds(30));
            assertHostRunsOn(host);
            assertThat(line.text())
                    .contains("agent argument 'localhost:http': 'http' is not a port number")
                    .contains("expected [host:]port[:config.yaml]");
            assertThat(host.linesContaining("pgmetrics agent:")).hasSize(1);
        }
    }

    @Test
    void aMissingConfigFileIsOneLineAndTheHostRunsOn(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-agent.yaml");
        try (ChildJvm host =
                host(Jdk.current(), Http.freePort() + ":" + missing).start()) {
            ChildJvm.Line line = host.awaitLine(l -> l.contains("pgmetrics agent:"), Duration.ofSeconds(30));
            assertHostRunsOn(host);
            assertThat(line.text()).contains("no-such-agent.yaml").contains("the application runs on");
            assertThat(host.linesContaining("pgmetrics agent:")).hasSize(1);
            assertThat(host.output()).doesNotContain("\tat ");
        }
    }
}
