package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.config.KnownCollectors;
import io.pgmetrics.exporter.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line without starting a server: help, version, parse errors and exit codes. */
class MainTest {

    record Run(int code, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryFlagWithItsEnvironmentVariable() {
        Run r = run(Map.of(), "--help");
        assertThat(r.code()).isZero();
        for (Setting s : Setting.STANDARD) {
            String name = s.kind() == Setting.Kind.BOOL ? "--[no-]" + s.flag().substring(2) : s.flag();
            assertThat(r.out()).as(s.flag()).contains(name);
            if (!s.env().isEmpty()) {
                assertThat(r.out()).as(s.flag()).contains(s.env());
            }
        }
        for (String collector : KnownCollectors.POSTGRES_EXPORTER.keySet()) {
            assertThat(r.out()).contains("--[no-]collector." + collector);
        }
        assertThat(r.out()).contains("(default: 1m)", "9187)");
    }

    @Test
    void versionAndKingpinStyleFlagsParse() {
        assertThat(run(Map.of(), "--version").out()).startsWith("pgmetrics-exporter, version ");
        assertThat(run(
                                Map.of(),
                                "--no-collector.wal",
                                "--collector.stat_statements",
                                "--collection-timeout",
                                "30s",
                                "--web.listen-address=:0",
                                "--web.listen-address",
                                "127.0.0.1:0",
                                "--collector.stat_statements.limit=5")
                        .code())
                .isZero();
        assertThat(run(Map.of(), "--collector.wal=false", "--disable-default-metrics=true")
                        .code())
                .isZero();
    }

    @Test
    void configurationMistakesExitWithTwoAndOneLine() {
        Run unknown = run(Map.of(), "--web.listen-adress=:9187");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().lines()).singleElement().asString().contains("unknown flag --web.listen-adress");
        Run renamed = run(Map.of(), "--no-collector.replication_slot");
        assertThat(renamed.code()).isEqualTo(2);
        assertThat(renamed.err()).contains("--no-collector.replication_slots");
        Run badEnv = run(Map.of("PG_EXPORTER_COLLECTION_TIMEOUT", "forever"));
        assertThat(badEnv.code()).isEqualTo(2);
        assertThat(badEnv.err().lines()).singleElement().asString().contains("PG_EXPORTER_COLLECTION_TIMEOUT");
        Run positional = run(Map.of(), "extra");
        assertThat(positional.code()).isEqualTo(2);
        Run badDsn = run(Map.of("DATA_SOURCE_NAME", "postgresql://u:topsecret@h:notaport/db"), "--dumpmaps");
        assertThat(badDsn.code()).isIn(0, 2); // --dumpmaps reads no target; the DSN is checked when serving
        assertThat(badDsn.err()).doesNotContain("topsecret");
    }
}
