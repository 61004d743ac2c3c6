package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.core.yaml.CnpgQueriesYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.EnvironmentConfig;
import io.pgmetrics.exporter.web.WebConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every YAML file pgmetrics reads takes the same boolean words, and a word it refuses gets the same
 * message in each: {@code file:line:column: key must be true or false, but it is text}.
 */
class SpellingAcrossFormatsTest {

    @TempDir
    Path dir;

    /** What reading a file reports: empty when it was read, else the message. */
    private interface Reader {
        Optional<String> read(Path file) throws Exception;
    }

    /** One file format: the key a boolean is written under, a file with that value, and its reader. */
    private record Format(String key, UnaryOperator<String> text, Reader reader) {}

    private static Optional<String> catalogMessage(Runnable read) {
        if (!(catchThrowable(read::run) instanceof CatalogException e)) {
            return Optional.empty();
        }
        Problem p = e.problems().get(0);
        return Optional.of(p.location().orElse("?") + ": " + p.message());
    }

    private static final List<Format> FORMATS = List.of(
            new Format("enabled", v -> """
                    queries:
                      - name: app_queue
                        sql: SELECT 1 AS pending
                        enabled: %s
                        columns: [{name: pending, usage: GAUGE}]
                    """.formatted(v), f -> catalogMessage(() -> CatalogYaml.read(f))),
            new Format("master", v -> """
                    app:
                      query: SELECT 1 AS value
                      master: %s
                      metrics:
                        - value: {usage: GAUGE}
                    """.formatted(v), f -> catalogMessage(() -> LegacyQueriesYaml.read(f))),
            new Format("master", v -> """
                    app:
                      query: SELECT 1 AS value
                      master: %s
                      metrics:
                        - value: {usage: GAUGE, description: v}
                    """.formatted(v), f -> catalogMessage(() -> CnpgQueriesYaml.read(f))),
            new Format("http_server_config.http2", v -> """
                    http_server_config:
                      http2: %s
                    """.formatted(v), f -> {
                try {
                    WebConfig.load(f);
                    return Optional.empty();
                } catch (Exception e) {
                    return Optional.of(e.getMessage());
                }
            }),
            new Format("web.enable_reload", v -> """
                    web:
                      enable_reload: %s
                    """.formatted(v), f -> {
                try {
                    EnvironmentConfig.load(Map.of(), Optional.of(f));
                    return Optional.empty();
                } catch (ConfigException e) {
                    return Optional.of(e.getMessage());
                }
            }));

    private Path write(Format format, String value, int n) throws Exception {
        return Files.writeString(dir.resolve("f" + n + ".yaml"), format.text().apply(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "False", "yes", "NO", "on", "Off", "y", "N"})
    void everyFormatTakesGoYamlsBooleanWords(String word) throws Exception {
        for (int i = 0; i < FORMATS.size(); i++) {
            Format format = FORMATS.get(i);
            assertThat(format.reader().read(write(format, word, i)))
                    .as(format.key())
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "T", "tRUE", "enabled"})
    void everyFormatRefusesOtherWordsWithTheSameLocatedMessage(String word) throws Exception {
        for (int i = 0; i < FORMATS.size(); i++) {
            Format format = FORMATS.get(i);
            Path file = write(format, word, i);
            String text = format.text().apply(word);
            int at = text.indexOf(": " + word + "\n") + 2;
            int line =
                    (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
            int column = at - text.lastIndexOf('\n', at - 1);
            assertThat(format.reader().read(file))
                    .as(format.key())
                    .contains(file + ":" + line + ":" + column + ": " + format.key()
                            + " must be true or false, but it is text");
        }
    }
}
