package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.exporter.config.KnownCollectors;
import io.pgmetrics.exporter.config.Setting;
import io.pgmetrics.exporter.scrape.Catalogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written flag parser: kingpin's forms, and a one-sentence error for each mistake. */
class CommandLineTest {

    private static final CommandLine CLI = new CommandLine(settings());

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>(Setting.STANDARD);
        all.addAll(KnownCollectors.settings(Catalogs.builtin()));
        return all;
    }

    private static Map<String, List<String>> values(String... args) throws Exception {
        CommandLine.Parsed p = CLI.parse(args);
        assertThat(p.help()).isFalse();
        assertThat(p.version()).isFalse();
        return p.values();
    }

    private static String error(String... args) {
        try {
            CLI.parse(args);
        } catch (CommandLine.UsageException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + List.of(args));
    }

    @Test
    void readsEveryFormKingpinAccepts() throws Exception {
        assertThat(values(
                        "--collection-timeout",
                        "30s",
                        "--web.telemetry-path=/m",
                        "--web.listen-address=:1",
                        "--web.listen-address",
                        "127.0.0.1:2",
                        "--collector.wal",
                        "--no-collector.locks",
                        "--collector.database=FALSE",
                        "--collector.settings",
                        "true",
                        "--collector.static",
                        "false"))
                .containsExactly(
                        Map.entry("--collection-timeout", List.of("30s")),
                        Map.entry("--web.telemetry-path", List.of("/m")),
                        Map.entry("--web.listen-address", List.of(":1", "127.0.0.1:2")),
                        Map.entry("--collector.wal", List.of("true")),
                        Map.entry("--collector.locks", List.of("false")),
                        Map.entry("--collector.database", List.of("false")),
                        Map.entry("--collector.settings", List.of("true")),
                        Map.entry("--collector.static", List.of("false")));
        assertThat(values("--web.telemetry-path=")).containsEntry("--web.telemetry-path", List.of(""));
        assertThat(values("--web.telemetry-path", "-x")).containsEntry("--web.telemetry-path", List.of("-x"));
        assertThat(values()).isEmpty();
        assertThat(values("--")).isEmpty();
    }

    @Test
    void helpAndVersionWinOverEverythingElse() throws Exception {
        assertThat(CLI.parse(new String[] {"--bogus", "--help"}).help()).isTrue();
        assertThat(CLI.parse(new String[] {"-h"}).help()).isTrue();
        assertThat(CLI.parse(new String[] {"--version", "--help"}).help()).isTrue();
        assertThat(CLI.parse(new String[] {"--bogus", "--version"}).version()).isTrue();
    }

    @Test
    void eachMistakeIsNamed() {
        assertThat(error("--web.listen-adress=:9187"))
                .isEqualTo("unknown flag --web.listen-adress; did you mean --web.listen-address?");
        assertThat(error("--collector.stat_statemnts"))
                .isEqualTo("unknown flag --collector.stat_statemnts; did you mean --collector.stat_statements?");
        assertThat(error("--no-such.flag")).isEqualTo("unknown flag --no-such.flag");
        assertThat(error("-x")).isEqualTo("unknown flag -x");
        assertThat(error("--collector.bgwriter=false")).startsWith("flag --collector.bgwriter no longer exists; use ");
        assertThat(error("extra")).isEqualTo("unexpected argument 'extra'; every setting is a --flag");
        assertThat(error("--", "--help")).isEqualTo("unexpected argument '--help'; every setting is a --flag");
        assertThat(error("--collection-timeout")).isEqualTo("flag needs a value: --collection-timeout=<duration>");
        assertThat(error("--collection-timeout", "--log.level=warn"))
                .isEqualTo("flag needs a value: --collection-timeout=<duration>, found --log.level=warn");
        assertThat(error("--collector.wal=maybe")).isEqualTo("flag --collector.wal takes true or false, not 'maybe'");
        assertThat(error("--collector.wal", "maybe"))
                .isEqualTo("unexpected argument 'maybe'; every setting is a --flag");
        assertThat(error("--no-collector.wal=true"))
                .isEqualTo("flag --no-collector.wal takes no value; write --collector.wal=true instead");
        assertThat(error("--web.telemetry-path=/a", "--web.telemetry-path=/b"))
                .isEqualTo("flag --web.telemetry-path given more than once");
        assertThat(error("--collector.wal", "--no-collector.wal"))
                .isEqualTo("flag --collector.wal given more than once");
        assertThat(error("--help=true")).isEqualTo("flag --help takes no value");
    }

    @Test
    void helpNamesEveryFlagOnceAndKeepsLinesShort() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        HelpText.print(settings(), new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String help = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(help).startsWith("Usage: pgmetrics-exporter [OPTIONS]\n");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(119));
        for (Setting s : settings()) {
            String synopsis = s.kind() == Setting.Kind.BOOL
                    ? "      --[no-]" + s.flag().substring(2) + "[=<bool>]"
                    : "      " + s.flag() + "=<";
            assertThat(help.lines().filter(l -> l.startsWith(synopsis)))
                    .as(s.flag())
                    .hasSize(1);
        }
        assertThatThrownBy(() -> CLI.parse(new String[] {"--version=1"})).hasMessage("flag --version takes no value");
    }
}
