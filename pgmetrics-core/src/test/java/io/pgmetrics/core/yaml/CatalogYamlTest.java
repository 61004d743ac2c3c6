package io.pgmetrics.core.yaml;

import static io.pgmetrics.core.yaml.YamlProblems.location;
import static io.pgmetrics.core.yaml.YamlProblems.onlyProblem;
import static io.pgmetrics.core.yaml.YamlProblems.problemsOf;
import static io.pgmetrics.core.yaml.YamlProblems.where;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.catalog.VersionRange;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogYamlTest {

    private static final String SRC = "q.yaml";

    private static Catalog read(String yaml) {
        return CatalogYaml.read(yaml, SRC);
    }

    // ---- every key, read into the model ------------------------------------------------------------------

    @Test
    void readsEveryKeyOfAQueryAndAColumn() {
        Catalog c = read("""
                queries:
                  - name: app_queue
                    collector: app
                    help: Queue statistics
                    scope: database
                    role: primary
                    extensions: [pg_stat_statements]
                    predicate: SELECT true
                    ttl: 1m30s
                    timeout: 500ms
                    max_rows: 50
                    enabled: false
                    databases: ["app*"]
                    undeclared_columns: untyped
                    parameters: {limit: "100"}
                    variants:
                      - max_version: 14
                        sql: SELECT 1 LIMIT ${limit}::int
                      - min_version: 14
                        sql: |
                          SELECT queue, state, pending, wait
                          FROM app.q LIMIT ${limit}::int
                    columns:
                      - name: queue
                        usage: LABEL
                      - name: state
                        usage: MAPPEDMETRIC
                        mapping: {ok: 0, failing: 2}
                      - name: pending
                        usage: COUNTER
                        rename: jobs
                        help: Jobs seen
                        scale: 0.5
                        default: 0
                        unit: jobs
                        strict: {metric: app_queue_jobs_seen, usage: GAUGE}
                      - name: wait
                        usage: DURATION
                        metric: app_wait_seconds
                """);
        QueryDef q = c.queries().get(0);
        QueryDef expected = QueryDef.builder("app_queue")
                .collector("app")
                .help("Queue statistics")
                .scope(Scope.DATABASE)
                .role(ServerRole.PRIMARY)
                .extensions(List.of("pg_stat_statements"))
                .predicate("SELECT true")
                .ttl(Duration.ofSeconds(90))
                .timeout(Duration.ofMillis(500))
                .maxRows(50)
                .enabledByDefault(false)
                .databases(List.of("app*"))
                .undeclaredColumns(UndeclaredColumns.UNTYPED)
                .parameters(Map.of("limit", "100"))
                .variant(VersionRange.below(14), "SELECT 1 LIMIT ${limit}::int")
                .variant(VersionRange.from(14), "SELECT queue, state, pending, wait\nFROM app.q LIMIT ${limit}::int\n")
                .column(ColumnDef.label("queue"))
                .column(ColumnDef.builder("state", Usage.MAPPEDMETRIC)
                        .mapping(Map.of("ok", 0.0, "failing", 2.0))
                        .build())
                .column(ColumnDef.builder("pending", Usage.COUNTER)
                        .rename("jobs")
                        .help("Jobs seen")
                        .scale(0.5)
                        .nullValue(0)
                        .unit("jobs")
                        .strict("app_queue_jobs_seen", Usage.GAUGE)
                        .build())
                .column(ColumnDef.builder("wait", Usage.DURATION)
                        .metric("app_wait_seconds")
                        .build())
                .build();
        assertThat(q).isEqualTo(expected);
    }

    @Test
    void builderAndYamlGiveTheSameModel() {
        Catalog fromYaml = read("""
                queries:
                  - name: pg_locks
                    help: Locks by mode
                    ttl: 15s
                    sql: SELECT mode, count(*) AS count FROM pg_locks GROUP BY mode
                    columns:
                      - {name: mode, usage: LABEL}
                      - {name: count, usage: GAUGE, help: Number of locks}
                """);
        Catalog fromJava = Catalog.of(QueryDef.builder("pg_locks")
                .help("Locks by mode")
                .ttl(Duration.ofSeconds(15))
                .sql("SELECT mode, count(*) AS count FROM pg_locks GROUP BY mode")
                .columns(ColumnDef.label("mode"), ColumnDef.gauge("count", "Number of locks"))
                .build());
        assertThat(fromYaml).isEqualTo(fromJava);
        assertThat(CatalogYaml.write(fromJava)).isEqualTo(CatalogYaml.write(fromYaml));
    }

    @Test
    void writesDefaultsOutAndReadsBackEqual() {
        Catalog c = Catalog.of(QueryDef.builder("pg_locks")
                .help("Locks by mode")
                .ttl(Duration.ofSeconds(15))
                .variant(VersionRange.below(14), "SELECT 1")
                .variant(
                        VersionRange.of(PgVersion.major(14), null),
                        "SELECT mode,\n       count(*) AS count\nFROM pg_locks\n")
                .columns(
                        ColumnDef.label("mode"),
                        ColumnDef.builder("count", Usage.GAUGE)
                                .help("Number of locks: \"all\"")
                                .nullValue(0)
                                .build())
                .build());
        String yaml = CatalogYaml.write(c);
        assertThat(yaml).isEqualTo("""
                queries:
                  - name: pg_locks
                    help: Locks by mode
                    ttl: 15s
                    variants:
                      - max_version: 14
                        sql: SELECT 1
                      - min_version: 14
                        sql: |
                          SELECT mode,
                                 count(*) AS count
                          FROM pg_locks
                    columns:
                      - name: mode
                        usage: LABEL
                      - name: count
                        usage: GAUGE
                        help: "Number of locks: \\"all\\""
                        default: 0.0
                """);
        assertThat(read(yaml)).isEqualTo(c);
        assertThat(CatalogYaml.write(Catalog.EMPTY)).isEqualTo("queries: []\n");
        assertThat(read("queries: []\n")).isEqualTo(Catalog.EMPTY);
    }

    @Test
    void aliasesOfListsAndMapsAreResolved() {
        Catalog c = read("""
                queries:
                  - name: a
                    sql: SELECT 1 AS value
                    columns: &cols
                      - &gauge {name: value, usage: GAUGE}
                  - name: b
                    sql: SELECT 2 AS value
                    columns: *cols
                  - name: c
                    sql: SELECT 3 AS value
                    columns: [*gauge]
                """);
        assertThat(c.queries().get(1).columns()).isEqualTo(c.queries().get(0).columns());
        assertThat(c.queries().get(2).columns()).isEqualTo(c.queries().get(0).columns());
    }

    @Test
    void anAliasOfASingleValueIsReportedNotMisread() {
        String yaml = """
                queries:
                  - name: a
                    sql: &shared SELECT 1 AS value
                    columns: [{name: value, usage: GAUGE}]
                  - name: b
                    sql: *shared
                    columns: [{name: value, usage: GAUGE}]
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "*shared"));
        assertThat(p.message()).contains("alias *shared").contains("repeat the value");
    }

    @Test
    void readsFromAReaderAndAFile(@TempDir Path dir) throws Exception {
        String yaml = "queries:\n  - {name: a, sql: SELECT 1 AS v, columns: [{name: v, usage: GAUGE}]}\n";
        Path file = dir.resolve("queries.yaml");
        Files.writeString(file, "\uFEFF" + yaml); // a byte-order mark is tolerated
        assertThat(CatalogYaml.read(new StringReader(yaml), "r.yaml")).isEqualTo(read(yaml));
        assertThat(CatalogYaml.read(file)).isEqualTo(read(yaml));
    }

    // ---- one rule, one test, with the exact location -------------------------------------------------------

    @Test
    void unknownKeyIsAnErrorThatSuggestsTheKnownOne() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    colums:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "colums")).isEqualTo("q.yaml:4:5");
        assertThat(p.query()).contains("app_queue");
        assertThat(p.message()).contains("unknown key 'colums'").contains("Did you mean 'columns'?");
    }

    @Test
    void unknownColumnKeyNamesTheColumn() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns:
                      - name: pending
                        usage: GAUGE
                        desciption: Jobs waiting
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "desciption"));
        assertThat(p.column()).contains("pending");
        assertThat(p.message()).contains("unknown key 'desciption'");
    }

    @Test
    void lowerCaseUsageIsAnErrorThatSuggestsUpperCase() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns:
                      - name: pending
                        usage: gauge
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("q.yaml:6:16").isEqualTo(where(SRC, yaml, "gauge"));
        assertThat(p.query()).contains("app_queue");
        assertThat(p.column()).contains("pending");
        assertThat(p.field()).contains("usage");
        assertThat(p.message()).contains("unknown usage 'gauge'").contains("write GAUGE");
    }

    @Test
    void misspeltUsageGetsTheClosestUsage() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns:
                      - {name: pending, usage: GAUGUE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "GAUGUE"));
        assertThat(p.message()).contains("Did you mean 'GAUGE'?").contains("LABEL, GAUGE, COUNTER");
    }

    @Test
    void wrongTypeOfScalarIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    max_rows: many
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("q.yaml:4:15");
        assertThat(p.message()).isEqualTo("max_rows must be a whole number, but it is text");
    }

    @Test
    void aMapWhereAListBelongsIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns: {pending: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "{pending"));
        assertThat(p.message()).contains("'columns' must be a list, but it is a map");
    }

    @Test
    void tooLargeANumberIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    max_rows: 99999999999999999999
                    columns: [{name: pending, usage: GAUGE}]
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "99999999999999999999"));
        assertThat(p.message()).startsWith("max_rows is out of range; write a whole number from");
    }

    @Test
    void badVersionIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    variants:
                      - min_version: 16.x
                        sql: SELECT 1 AS pending
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("q.yaml:4:22");
        assertThat(p.field()).contains("min_version");
        assertThat(p.message()).contains("'16.x' is not a PostgreSQL version").contains("13, 16.2, 9.6");
    }

    @Test
    void emptyVersionRangeIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    variants:
                      - {min_version: 15, max_version: 14, sql: SELECT 1 AS pending}
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "14,"));
        assertThat(p.message()).contains("must be below max_version");
    }

    @Test
    void badDurationIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    ttl: 30 seconds
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("q.yaml:4:10");
        assertThat(p.field()).contains("ttl");
        assertThat(p.message()).contains("'30 seconds' is not a duration").contains("500ms, 30s");
    }

    @Test
    void missingRequiredKeyIsReportedAtItsMap() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns:
                      - name: pending
                        help: Jobs waiting
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "name: pending"));
        assertThat(p.column()).contains("pending");
        assertThat(p.message()).contains("the key 'usage' is missing").contains("GAUGE");
    }

    @Test
    void queryWithoutSqlIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "name: app_queue"));
        assertThat(p.message()).contains("the key 'sql' is missing");
    }

    @Test
    void sqlAndVariantsTogetherIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    variants: [{sql: SELECT 2 AS pending}]
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "variants"));
        assertThat(p.message()).contains("either sql:").contains("not both");
    }

    @Test
    void aKeyWrittenTwiceIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    help: Queue
                    help: Queues
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "help: Queues"));
        assertThat(p.message()).contains("written twice (first at line 4)");
    }

    @Test
    void aKeyWithoutValueIsAnError() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    help:
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "help"));
        assertThat(p.message()).contains("'help' has no value");
    }

    @Test
    void unknownScopeSuggestsTheSpelling() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    scope: DATABASE
                    columns: [{name: pending, usage: GAUGE}]
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "DATABASE"));
        assertThat(p.message()).contains("write database");
    }

    // ---- model validation, located ------------------------------------------------------------------------

    @Test
    void overlappingVersionRangesPointAtTheLaterVariant() {
        String yaml = """
                queries:
                  - name: app_queue
                    variants:
                      - max_version: 15
                        sql: SELECT 1 AS pending
                      - min_version: 14
                        sql: SELECT 2 AS pending
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "min_version: 14")).isEqualTo("q.yaml:6:9");
        assertThat(p.query()).contains("app_queue");
        assertThat(p.message()).contains("overlaps");
    }

    @Test
    void emptySqlPointsAtTheSql() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: "  "
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "\"  \""));
        assertThat(p.message()).contains("the SQL is empty");
    }

    @Test
    void aMetricNameTwoQueriesEmitPointsAtTheLaterColumn() {
        String yaml = """
                queries:
                  - name: app
                    sql: SELECT 1 AS queue_pending
                    columns:
                      - {name: queue_pending, usage: GAUGE}
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns:
                      - {name: pending, usage: GAUGE}
                """;
        List<Problem> problems = problemsOf(() -> read(yaml));
        assertThat(problems).isNotEmpty().allSatisfy(p -> {
            assertThat(location(p)).isEqualTo(where(SRC, yaml, "{name: pending"));
            assertThat(p.query()).contains("app_queue");
            assertThat(p.message()).contains("metric 'app_queue_pending'").contains("also emitted by query 'app'");
        });
    }

    @Test
    void aQueryNameDefinedTwicePointsAtTheSecond() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns: [{name: pending, usage: GAUGE}]
                  - name: app_queue
                    role: replica
                    sql: SELECT 1 AS waiting
                    columns: [{name: waiting, usage: GAUGE}]
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p))
                .isEqualTo(where(SRC, yaml, "app_queue\n    role"))
                .isEqualTo("q.yaml:5:11");
        assertThat(p.message()).contains("defined twice");
    }

    @Test
    void histogramCompanionThatIsNotDiscardPointsAtItsUsage() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1
                    columns:
                      - {name: wait, usage: HISTOGRAM}
                      - {name: wait_sum, usage: GAUGE}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "GAUGE"));
        assertThat(p.column()).contains("wait_sum");
        assertThat(p.message()).contains("companion of HISTOGRAM column 'wait'").contains("DISCARD");
    }

    @Test
    void aColumnDeclaredTwicePointsAtTheSecondDeclaration() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns:
                      - {name: pending, usage: GAUGE}
                      - {name: pending, usage: COUNTER}
                """;
        List<Problem> problems = problemsOf(() -> read(yaml));
        assertThat(problems)
                .extracting(YamlProblems::location)
                .containsOnly(where(SRC, yaml, "{name: pending, usage: COUNTER"));
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("declared twice"));
    }

    @Test
    void mappedMetricWithoutMappingPointsAtTheColumn() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 'ok' AS health
                    columns:
                      - name: health
                        usage: MAPPEDMETRIC
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "name: health"));
        assertThat(p.message()).contains("needs a mapping");
    }

    @Test
    void aMappingOnAnotherUsagePointsAtTheMapping() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    columns:
                      - name: pending
                        usage: GAUGE
                        mapping: {ok: 0}
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "{ok: 0}"));
        assertThat(p.message()).contains("only applies to usage MAPPEDMETRIC");
    }

    @Test
    void anUndeclaredParameterPointsAtTheSql() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT ${limit} AS pending
                    columns: [{name: pending, usage: GAUGE}]
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "SELECT"));
        assertThat(p.message()).contains("${limit}").contains("parameters:");
    }

    @Test
    void aQueryWithoutMetricColumnsPointsAtTheColumns() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 'x' AS queue
                    columns: [{name: queue, usage: LABEL}]
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo(where(SRC, yaml, "[{name"));
        assertThat(p.message()).contains("declares no metric column");
    }

    @Test
    void aBadQueryNamePointsAtTheName() {
        String yaml = """
                queries:
                  - name: app-queue
                    sql: SELECT 1 AS pending
                    columns: [{name: pending, usage: GAUGE}]
                """;
        List<Problem> problems = problemsOf(() -> read(yaml));
        assertThat(problems).anySatisfy(p -> {
            assertThat(location(p)).isEqualTo(where(SRC, yaml, "app-queue"));
            assertThat(p.message()).contains("not a valid metric prefix");
        });
    }

    // ---- the file as a whole -------------------------------------------------------------------------------

    @Test
    void everyProblemOfTheFileIsReportedInFileOrder() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                    ttl: soon
                    columns:
                      - {name: pending, usage: gauge}
                  - name: app_jobs
                    variants:
                      - {max_version: 15, sql: SELECT 1 AS done}
                      - {min_version: 14, sql: SELECT 2 AS done}
                    columns:
                      - {name: done, usage: COUNTER, scale: x}
                  - name: app_other
                    sql: SELECT 1 AS v
                    colour: blue
                    columns: [{name: v, usage: GAUGE}]
                """;
        List<Problem> problems = problemsOf(() -> read(yaml));
        assertThat(problems)
                .extracting(YamlProblems::location)
                .containsExactly(
                        where(SRC, yaml, "soon"),
                        where(SRC, yaml, "gauge"),
                        where(SRC, yaml, "{min_version: 14"),
                        where(SRC, yaml, "x}"),
                        where(SRC, yaml, "colour"));
    }

    @Test
    void yamlSyntaxErrorHasItsLocation() {
        String yaml = """
                queries:
                  - name: app_queue
                    sql: SELECT 1 AS pending
                   columns: []
                """;
        Problem p = onlyProblem(() -> read(yaml));
        assertThat(location(p)).isEqualTo("q.yaml:4:4");
        assertThat(p.message()).startsWith("YAML syntax error:").contains("indentation");
    }

    @Test
    void anUnclosedFlowListIsASyntaxError() {
        Problem p = onlyProblem(() -> read("queries: [\n  {name: a}\n"));
        assertThat(location(p)).isEqualTo("q.yaml:3:1");
        assertThat(p.message()).startsWith("YAML syntax error:");
    }

    @Test
    void twoDocumentsAreAnError() {
        Problem p = onlyProblem(() -> read("queries: []\n---\nqueries: []\n"));
        assertThat(location(p)).startsWith("q.yaml:");
        assertThat(p.message()).contains("more than one YAML document");
    }

    @Test
    void emptyTextIsAnError() {
        Problem p = onlyProblem(() -> read("# nothing here\n"));
        assertThat(location(p)).isEqualTo("q.yaml:1:1");
        assertThat(p.message()).contains("the file is empty");
    }

    @Test
    void aTextWithoutNameIsCalledYaml() {
        Problem p = onlyProblem(() -> CatalogYaml.read("queries: {}\n", null));
        assertThat(location(p)).isEqualTo("<yaml>:1:10");
        assertThat(p.message()).contains("'queries' must be a list, but it is a map");
    }

    @Test
    void missingFileIsACatalogExceptionNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        Problem p = onlyProblem(() -> CatalogYaml.read(missing));
        assertThat(location(p)).isEqualTo(missing.toString());
        assertThat(p.message()).contains("does not exist");
        Problem directory = onlyProblem(() -> CatalogYaml.read(dir));
        assertThat(location(directory)).isEqualTo(dir.toString());
        assertThat(directory.message()).contains("cannot be read");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWhereTheyAre(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "queries:\n  - name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Problem p = onlyProblem(() -> CatalogYaml.read(file));
        assertThat(location(p)).isEqualTo(file + ":2:14");
        assertThat(p.message()).contains("not UTF-8").contains("0xE9");
    }

    @Test
    void controlCharactersAreASyntaxErrorNotACrash() {
        Problem p = onlyProblem(() -> read("queries:\n  - name: a\u0001b\n"));
        assertThat(p.message()).contains("YAML");
        assertThat(location(p)).startsWith("q.yaml:");
    }
}
