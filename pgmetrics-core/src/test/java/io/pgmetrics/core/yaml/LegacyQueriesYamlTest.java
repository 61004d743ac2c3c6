package io.pgmetrics.core.yaml;

import static io.pgmetrics.core.yaml.YamlProblems.location;
import static io.pgmetrics.core.yaml.YamlProblems.onlyProblem;
import static io.pgmetrics.core.yaml.YamlProblems.where;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.catalog.VersionRange;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyQueriesYamlTest {

    private static final String SRC = "queries.yaml";

    private static LoadedQueries read(String yaml) {
        return LegacyQueriesYaml.read(yaml, SRC);
    }

    static Path resource(String name) {
        try {
            return Path.of(
                    LegacyQueriesYamlTest.class.getResource("/yaml/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCompatExampleLoadsWithEveryUsage() throws Exception {
        Path file = resource("legacy-queries.yaml");
        LoadedQueries loaded = LegacyQueriesYaml.read(file);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.catalog().queries()).hasSize(1);
        QueryDef q = loaded.catalog().queries().get(0);
        assertThat(q.name()).isEqualTo("app_queue");
        assertThat(q.collector()).isEqualTo("app_queue");
        assertThat(q.role()).isEqualTo(ServerRole.PRIMARY);
        assertThat(q.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(q.scope()).isEqualTo(Scope.CLUSTER);
        assertThat(q.undeclaredColumns()).isEqualTo(UndeclaredColumns.UNTYPED);
        assertThat(q.variants()).singleElement().satisfies(v -> {
            assertThat(v.versions()).isEqualTo(VersionRange.ALL);
            assertThat(v.sql()).startsWith("WITH waiting AS (").contains("GROUP BY st.queue, st.health, st.processed");
        });
        assertThat(q.columns())
                .extracting(ColumnDef::usage)
                .containsExactly(
                        Usage.LABEL, Usage.MAPPEDMETRIC, Usage.COUNTER, Usage.GAUGE, Usage.DURATION, Usage.HISTOGRAM);
        assertThat(q.column("queue").orElseThrow().help()).isEqualTo("Queue name");
        assertThat(q.column("health").orElseThrow().mapping())
                .isEqualTo(Map.of("ok", 0.0, "degraded", 1.0, "failing", 2.0));
        ColumnDef wait = q.column("oldest_wait").orElseThrow();
        assertThat(wait.scale()).isEqualTo(1000.0);
        assertThat(q.columns().stream()
                        .filter(c -> c.usage().isMetric())
                        .map(c -> q.metricName(c, NamingProfile.COMPAT)))
                .containsExactly(
                        "app_queue_health",
                        "app_queue_processed",
                        "app_queue_pending",
                        "app_queue_oldest_wait_milliseconds",
                        "app_queue_wait");

        String expectedHash =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(loaded.hashsum())
                .isEqualTo(expectedHash)
                .isEqualTo(LegacyQueriesYaml.sha256(file))
                .hasSize(64);
    }

    @Test
    void discardAndUndeclaredColumns() {
        LoadedQueries loaded = read("""
                app:
                  query: SELECT 1 AS helper, 2 AS value, 3 AS extra
                  metrics:
                    - helper: {usage: DISCARD}
                    - value: {usage: GAUGE, description: A value}
                """);
        QueryDef q = loaded.catalog().queries().get(0);
        assertThat(q.column("helper").orElseThrow().usage()).isEqualTo(Usage.DISCARD);
        assertThat(q.undeclaredColumns())
                .as("extra is exported untyped, as postgres_exporter does")
                .isEqualTo(UndeclaredColumns.UNTYPED);
        assertThat(q.role()).isEqualTo(ServerRole.ANY);
        assertThat(q.ttl()).isZero();
    }

    @Test
    void runOnServerIsHonouredAsTheVersionRange() {
        QueryDef q = read("""
                app:
                  runonserver: ">=12.0.0 <15.0.0"
                  query: SELECT 1 AS value
                  metrics:
                    - value: {usage: GAUGE}
                """).catalog().queries().get(0);
        assertThat(q.variants()).singleElement().extracting(v -> v.versions()).isEqualTo(VersionRange.between(12, 15));
        assertThat(q.variantFor(PgVersion.parse("14.9"))).isPresent();
        assertThat(q.variantFor(PgVersion.parse("15.0"))).isEmpty();
    }

    @Test
    void lowerCaseUsageIsAnErrorWithLocation() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  metrics:
                    - value:
                        usage: gauge
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("queries.yaml:5:16").isEqualTo(where(SRC, yaml, "gauge"));
        assertThat(p.query()).contains("app");
        assertThat(p.column()).contains("value");
        assertThat(p.message()).contains("write GAUGE");
    }

    @Test
    void missingUsageIsAnErrorNotASilentDiscard() {
        String yaml = """
                app:
                  query: SELECT 1 AS value, 2 AS other
                  metrics:
                    - value:
                        description: A value
                    - other: {usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "value:"));
        assertThat(p.message()).contains("has no usage").contains("discard it without a word");
    }

    @Test
    void aColumnWithoutOptionsIsAnError() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  metrics:
                    - value:
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("queries.yaml:4:7");
        assertThat(p.message()).contains("has no usage");
    }

    @Test
    void emptyQueryIsAnError() {
        String yaml = """
                app:
                  query: ""
                  metrics:
                    - value: {usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "\"\""));
        assertThat(p.field()).contains("query");
        assertThat(p.message()).contains("the query is empty");
    }

    @Test
    void missingQueryIsAnErrorAtTheNamespace() {
        String yaml = """
                app:
                  metrics:
                    - value: {usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("queries.yaml:1:1");
        assertThat(p.message()).contains("the query is empty");
    }

    @Test
    void unknownKeysAreWarningsAndTheFileLoads() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  timeout: 5s
                  metrics:
                    - value:
                        usage: GAUGE
                        pg_version: ">=10.0.0"
                        unit: seconds
                """;
        LoadedQueries loaded = read(yaml);
        assertThat(loaded.catalog().queries()).hasSize(1);
        assertThat(loaded.warnings())
                .extracting(YamlProblems::location)
                .containsExactly(where(SRC, yaml, "timeout"), where(SRC, yaml, "pg_version"), where(SRC, yaml, "unit"));
        assertThat(loaded.warnings().get(0).message())
                .contains("unknown key 'timeout'")
                .contains("ignored");
        assertThat(loaded.warnings().get(1).message()).contains("pg_version has no effect");
    }

    @Test
    void anotherDialectsKeysAreRefusedWithTheirLineAndTheRightPlaceNeverIgnored() {
        // a CloudNativePG file passed as postgres_exporter's: its gates would be ignored and the query would run
        String yaml = """
                gated:
                  query: SELECT 1 AS value
                  primary: true
                  predicate_query: SELECT false
                  target_databases: [app]
                  metrics:
                    - value: {usage: GAUGE, name: renamed}
                ours:
                  query: SELECT 1 AS value
                  predicate: SELECT false
                  metrics:
                    - value: {usage: GAUGE}
                """;
        List<Problem> problems = YamlProblems.problemsOf(() -> read(yaml));
        assertThat(problems)
                .extracting(YamlProblems::location)
                .containsExactly(
                        where(SRC, yaml, "primary"),
                        where(SRC, yaml, "predicate_query"),
                        where(SRC, yaml, "target_databases"),
                        where(SRC, yaml, "name: renamed"),
                        where(SRC, yaml, "predicate:"));
        assertThat(problems.get(1).toString())
                .isEqualTo(where(SRC, yaml, "predicate_query")
                        + ": query 'gated', predicate_query: 'predicate_query' is not a key of postgres_exporter's format,"
                        + " which would ignore it; write the query in CloudNativePG's format, which honours it"
                        + " (the exporter's queries.cnpg;"
                        + " CnpgQueriesYaml in Java)");
        assertThat(problems.get(3).column()).contains("value");
        assertThat(problems.get(4).message()).contains("'predicate'", "queries.catalog");
    }

    @Test
    void everyKeyPostgresExporterAcceptsStillLoads() {
        LoadedQueries loaded = read("""
                app:
                  query: SELECT 1 AS value
                  master: true
                  cache_seconds: 30
                  runonserver: ">=13.0.0"
                  metrics:
                    - value: {usage: GAUGE, description: d, pg_version: ">=13.0.0"}
                """);
        assertThat(loaded.catalog().queries()).hasSize(1);
        assertThat(loaded.warnings())
                .extracting(Problem::message)
                .singleElement()
                .asString()
                .contains("pg_version");
        assertThat(loaded.location("app")).isEqualTo("queries.yaml:1:1");
    }

    @Test
    void aMappingOnAnotherUsageIsAWarningAndDropped() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  metrics:
                    - value: {usage: GAUGE, metric_mapping: {a: 1}}
                """;
        LoadedQueries loaded = read(yaml);
        assertThat(loaded.catalog().queries().get(0).columns().get(0).mapping()).isEmpty();
        assertThat(loaded.warnings()).singleElement().satisfies(w -> {
            assertThat(location(w)).isEqualTo(where(SRC, yaml, "metric_mapping"));
            assertThat(w.message()).contains("only applies to usage MAPPEDMETRIC");
        });
    }

    @Test
    void mappedMetricWithoutMappingSpeaksInThisFormatsKeys() {
        String yaml = """
                app:
                  query: SELECT 'ok' AS health
                  metrics:
                    - health: {usage: MAPPEDMETRIC}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "health:"));
        assertThat(p.field()).contains("metric_mapping");
        assertThat(p.message()).contains("metric_mapping: {ok: 0");
    }

    @Test
    void badRunOnServerIsAnErrorWithLocation() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  runonserver: ">=12.x"
                  metrics:
                    - value: {usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "\">=12.x\""));
        assertThat(p.field()).contains("runonserver");
        assertThat(p.message()).contains("not a version range");
    }

    @Test
    void wrongTypesAreErrors() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  cache_seconds: soon
                  master: maybe
                  metrics:
                    value: {usage: GAUGE}
                """;
        List<Problem> problems = YamlProblems.problemsOf(() -> read(yaml));
        assertThat(problems)
                .extracting(YamlProblems::location)
                .containsExactly(
                        where(SRC, yaml, "soon"), where(SRC, yaml, "maybe"), where(SRC, yaml, "value: {usage"));
        assertThat(problems.get(2).message()).contains("'metrics' must be a list");
    }

    @Test
    void negativeCacheSecondsIsAnError() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  cache_seconds: -5
                  metrics:
                    - value: {usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "-5"));
    }

    @Test
    void aNamespaceWrittenTwiceIsAnError() {
        String yaml = """
                app:
                  query: SELECT 1 AS value
                  metrics: [{value: {usage: GAUGE}}]
                app:
                  query: SELECT 2 AS value
                  metrics: [{value: {usage: GAUGE}}]
                """;
        List<Problem> problems = YamlProblems.problemsOf(() -> read(yaml));
        assertThat(problems).extracting(YamlProblems::location).contains("queries.yaml:4:1");
        assertThat(problems.get(0).message()).contains("written twice");
    }

    @Test
    void yesAndNoAreBooleansAsInGoYaml() {
        QueryDef q = read("""
                app:
                  master: yes
                  query: SELECT 1 AS value
                  metrics: [{value: {usage: GAUGE}}]
                """).catalog().queries().get(0);
        assertThat(q.role()).isEqualTo(ServerRole.PRIMARY);
    }

    @Test
    void syntaxErrorHasALocation() {
        Problem p = onlyProblem(() -> read("app:\n  query: SELECT 1\n metrics: []\n"));
        assertThat(location(p)).isEqualTo("queries.yaml:3:2");
        assertThat(p.message()).startsWith("YAML syntax error");
    }

    @Test
    void anEmptyFileHoldsNoQueries() {
        assertThat(read("# all queries commented out\n").catalog().queries()).isEmpty();
    }

    @Test
    void unreadableFileIsACatalogExceptionAndHasNoHash(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        Problem p = onlyProblem(() -> LegacyQueriesYaml.read(missing));
        assertThat(location(p)).isEqualTo(missing.toString());
        assertThat(LegacyQueriesYaml.sha256(missing)).isEmpty();
    }

    @Test
    void everyUsageNameIsAccepted() {
        Set<Usage> seen = read("""
                app:
                  query: SELECT 1
                  metrics:
                    - a: {usage: LABEL}
                    - b: {usage: GAUGE}
                    - c: {usage: COUNTER}
                    - d: {usage: DISCARD}
                    - e: {usage: MAPPEDMETRIC, metric_mapping: {x: 1}}
                    - f: {usage: DURATION}
                    - g: {usage: HISTOGRAM}
                """).catalog().queries().get(0).columns().stream()
                .map(ColumnDef::usage)
                .collect(Collectors.toSet());
        assertThat(seen).containsExactlyInAnyOrder(Usage.values());
        assertThat(Optional.of(seen)).isPresent();
    }
}
