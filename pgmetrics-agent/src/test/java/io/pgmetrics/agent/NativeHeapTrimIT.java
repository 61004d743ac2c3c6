package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's native-heap trim in a real host, on each JDK: it runs (its answer, logged at FINE, is the
 * JVM's "Trim native heap" line) and it reaches the command without the platform MBean server, whose
 * classes never load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledOnOs(OS.LINUX)
class NativeHeapTrimIT {

    private Path idleApp;
    private Path dir;

    @BeforeAll
    void setUp(@TempDir Path dir) {
        this.dir = dir;
        idleApp = HostApps.compile("IdleApp", dir, List.of());
    }

    Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void trimsWithoutTheMBeanServer(Jdk jdk) throws IOException {
        Path logging = dir.resolve("fine-" + jdk.name().replace(' ', '-') + ".properties");
        Files.writeString(
                logging,
                "handlers = java.util.logging.ConsoleHandler\n"
                        + "java.util.logging.ConsoleHandler.level = FINE\n"
                        + "io.pgmetrics.agent.level = FINE\n");
        Path classes = dir.resolve("classes-" + jdk.name().replace(' ', '-') + ".log");
        try (ChildJvm host = ChildJvm.on(jdk)
                .agent(HostApps.agentJar(), "127.0.0.1:" + io.pgmetrics.testing.Http.freePort())
                .jvmOption("-Djava.util.logging.config.file=" + logging)
                .jvmOption("-Xlog:class+load=info:file=" + classes)
                .classpath(List.of(idleApp))
                .main("IdleApp", "run")
                .start()) {
            host.awaitLine(
                    l -> l.contains("pgmetrics agent: native heap trim: Trim native heap: RSS+Swap: "),
                    Duration.ofSeconds(60));
            String loaded = Files.readString(classes);
            assertThat(loaded).as("the command reached directly").contains("io.pgmetrics.agent.DiagnosticCommandCall");
            assertThat(loaded).as("no platform MBean server").doesNotContain("com.sun.jmx.mbeanserver.JmxMBeanServer ");
            assertThat(host.isAlive()).isTrue();
        }
    }
}
