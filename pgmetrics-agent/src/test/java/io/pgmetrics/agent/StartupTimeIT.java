package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent adds to its host's start: the time from launching the JVM to the first line of
 * the host's {@code main}, without an agent, with an empty agent (what {@code -javaagent} itself
 * costs the JVM) and with pgmetrics' agent, as medians of interleaved runs. Also proves the agent
 * holds no JVM open: a host whose {@code main} returns ends with exit code 0 while the agent is
 * still starting in the background.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartupTimeIT {

    /** The budget for the start time the agent adds: printed next to the figure, not asserted (a busy CI machine would make it flaky). */
    private static final long BUDGET_MILLIS = 300;
    /**
     * What the test does fail on: a start that is no longer in the background (e.g. connecting or
     * loading the driver in premain costs seconds), far above any scheduling noise.
     */
    private static final long REGRESSION_MILLIS = 1500;

    private static final int RUNS = 7;

    private Path idleApp;
    private Path emptyAgent;

    @BeforeAll
    void setUp(@TempDir Path dir) {
        idleApp = HostApps.compile("IdleApp", dir, List.of());
        emptyAgent = HostApps.emptyAgentJar(dir);
    }

    Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void addsLittleToTheHostsStartAndLetsItExit(Jdk jdk) {
        timeToMain(jdk, null); // warm the file system caches
        timeToMain(jdk, HostApps.agentJar());
        List<Long> without = new ArrayList<>();
        List<Long> empty = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            without.add(timeToMain(jdk, null));
            empty.add(timeToMain(jdk, emptyAgent));
            with.add(timeToMain(jdk, HostApps.agentJar()));
        }
        long added = median(with) - median(without);
        System.out.printf(
                "STARTUP %s: time to main without agent %d ms, with an empty agent %d ms, with pgmetrics-agent %d ms"
                        + " (medians of %d): the agent adds %d ms (budget %d ms), of which %d ms are the JVM's own cost of -javaagent%n",
                jdk,
                median(without),
                median(empty),
                median(with),
                RUNS,
                added,
                BUDGET_MILLIS,
                median(empty) - median(without));
        assertThat(added)
                .as("start time added by the agent on %s (without %s, with %s)", jdk, without, with)
                .isLessThan(REGRESSION_MILLIS);
    }

    /** Milliseconds from launching the JVM to the host's first line; the host must then exit with 0 on its own. */
    private long timeToMain(Jdk jdk, Path agentJar) {
        ChildJvm.Builder b = ChildJvm.on(jdk).classpath(List.of(idleApp)).main("IdleApp", "exit");
        if (agentJar != null) {
            b.agent(agentJar, "127.0.0.1:" + Http.freePort());
        }
        try (ChildJvm host = b.start()) {
            long at = host.awaitLine(l -> l.equals("HOST main entered"), Duration.ofSeconds(30))
                    .atMillis();
            Optional<Integer> exit = host.awaitExit(Duration.ofSeconds(20));
            assertThat(exit)
                    .as("the host ended on its own when main returned\n%s", host.output())
                    .contains(0);
            assertThat(host.output()).doesNotContain("Exception");
            return at;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
