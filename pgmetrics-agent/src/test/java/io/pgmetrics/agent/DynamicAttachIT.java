package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Loading the agent into a JVM that is already running: agentmain serves as premain does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamicAttachIT {

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

    private ChildJvm runningHost(Jdk jdk) {
        ChildJvm host = ChildJvm.on(jdk)
                .env("DATA_SOURCE_NAME", pg.monitorDsn())
                .classpath(List.of(idleApp))
                .main("IdleApp", "run")
                .start();
        host.awaitLine(l -> l.startsWith("HOST alive tick=1"), Duration.ofSeconds(30));
        return host;
    }

    @Test
    void attachingWithTheAttachApiStartsTheEndpoint() throws Exception {
        int port = Http.freePort();
        try (ChildJvm host = runningHost(Jdk.current())) {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(host.pid()));
            try {
                vm.loadAgent(HostApps.agentJar().toString(), "127.0.0.1:" + port);
            } finally {
                vm.detach();
            }
            String metrics =
                    host.awaitOk(port, "/metrics", Duration.ofSeconds(60)).body();
            assertThat(PromText.firstValue(metrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(1.0);
            CatalogExpectations.assertCatalogMetrics(metrics, host);
            host.awaitLine(
                    l -> l.contains("pgmetrics agent: serving http://127.0.0.1:" + port + "/metrics"),
                    Duration.ofSeconds(5));
            int seen = host.linesContaining("HOST alive").size();
            host.awaitLine(l -> l.startsWith("HOST alive tick=" + (seen + 2)), Duration.ofSeconds(10));
            var ticks = host.linesContaining("HOST alive"); // from the moment the agent serves (see DriverIsolation)
            assertThat(ticks.subList(seen, ticks.size()))
                    .isNotEmpty()
                    .allSatisfy(l -> assertThat(l.text()).endsWith("drivers=[]"));
        }
    }

    @Test
    void attachingWithTheJarsCommandWorksOnTemurin25() {
        Jdk jdk = Jdk.temurin25().orElse(null);
        Assumptions.assumeTrue(jdk != null, "no Temurin 25 JDK under " + Jdk.JVM_DIR);
        int port = Http.freePort();
        try (ChildJvm host = runningHost(jdk)) {
            try (ChildJvm attach = ChildJvm.on(jdk)
                    .main("-jar", HostApps.agentJar().toString(), Long.toString(host.pid()), "127.0.0.1:" + port)
                    .start()) {
                assertThat(attach.awaitExit(Duration.ofSeconds(30)))
                        .as(attach.output())
                        .contains(0);
                assertThat(attach.output()).contains("pgmetrics agent loaded into JVM " + host.pid());
            }
            String metrics =
                    host.awaitOk(port, "/metrics", Duration.ofSeconds(60)).body();
            assertThat(PromText.firstValue(metrics, "pg_up", ""))
                    .as(host.output())
                    .hasValue(1.0);
            // JDK 21+ warns about dynamically loaded agents, and runs them
            System.out.println("ATTACH " + jdk + ": " + host.linesContaining("pgmetrics agent: serving"));
        }
    }
}
