package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.exporter.config.TargetSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatabaseWatchTest {

    private final List<String> logged = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final Logger agentLogger = Logger.getLogger("io.pgmetrics.agent");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        agentLogger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        agentLogger.removeHandler(capture);
    }

    /** A probe answering from a script: a failure reason, or "" for success. */
    private DatabaseWatch scripted(String... outcomes) {
        Deque<String> script = new ArrayDeque<>(List.of(outcomes));
        return new DatabaseWatch(
                dsn -> {
                    String next = script.removeFirst();
                    return next.isEmpty() ? Optional.empty() : Optional.of(next);
                },
                pauses::add);
    }

    private static final TargetSpec TARGET =
            new TargetSpec("postgresql://monitor:topsecret@db.example:6543/app", "DATA_SOURCE_NAME");

    @Test
    void aReachableDatabaseIsNotMentionedAtAll() throws InterruptedException {
        scripted("").watch(List.of(TARGET));
        assertThat(logged).isEmpty();
        assertThat(pauses).isEmpty();
    }

    @Test
    void anUnreachableDatabaseIsOneLineThenOneWhenItIsBack() throws InterruptedException {
        scripted("Connection to db.example:6543 refused", "refused", "refused", "refused", "refused", "refused", "")
                .watch(List.of(TARGET));
        assertThat(logged)
                .containsExactly(
                        "WARNING pgmetrics agent: database db.example:6543 (from DATA_SOURCE_NAME) is unreachable: "
                                + "Connection to db.example:6543 refused; /metrics shows pg_up 0 and the agent keeps retrying",
                        "INFO pgmetrics agent: database db.example:6543 is reachable again");
        assertThat(pauses)
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(40),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60));
        assertThat(String.join("\n", logged)).doesNotContain("topsecret");
    }

    @Test
    void separateCredentialsReplaceTheConnectionStrings() {
        Dsn dsn = DatabaseWatch.dsn(new TargetSpec(
                        "jdbc:postgresql://db/app?user=a&password=b",
                        Optional.of("spring"),
                        Optional.of("pw"),
                        "SPRING_DATASOURCE_URL"))
                .orElseThrow();
        assertThat(dsn.user()).contains("spring");
        assertThat(dsn.password().orElseThrow().reveal()).isEqualTo("pw");
        assertThat(DatabaseWatch.dsn(new TargetSpec("postgresql://db/app?sslmod=require", "x")))
                .isEmpty();
    }
}
