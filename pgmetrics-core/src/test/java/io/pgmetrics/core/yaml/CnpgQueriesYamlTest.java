package io.pgmetrics.core.yaml;

import static io.pgmetrics.core.yaml.YamlProblems.location;
import static io.pgmetrics.core.yaml.YamlProblems.onlyProblem;
import static io.pgmetrics.core.yaml.YamlProblems.problemsOf;
import static io.pgmetrics.core.yaml.YamlProblems.where;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CnpgQueriesYamlTest {

    private static final String SRC = "cnpg.yaml";

    private static List<String> metricNames(QueryDef q) {
        return q.columns().stream()
                .filter(c -> c.usage().isMetric())
                .map(c -> q.metricName(c, NamingProfile.COMPAT))
                .toList();
    }

    @Test
    void theExampleLoadsWithEveryCloudNativePgKey() {
        LoadedQueries loaded = CnpgQueriesYaml.read(LegacyQueriesYamlTest.resource("cnpg-queries.yaml"));
        Catalog catalog = loaded.catalog();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(catalog.queries())
                .extracting(QueryDef::name)
                .containsExactly("cnpg_backends", "cnpg_backends", "cnpg_app_tables", "cnpg_archive");

        // two map keys published under one name, split by runonserver: two queries no server runs together
        QueryDef old = catalog.queries().get(0);
        QueryDef current = catalog.queries().get(1);
        assertThat(old.collector()).isEqualTo("backends");
        assertThat(old.variants()).singleElement().extracting(v -> v.versions()).isEqualTo(VersionRange.below(14));
        assertThat(current.variants())
                .singleElement()
                .extracting(v -> v.versions())
                .isEqualTo(VersionRange.from(14));
        assertThat(metricNames(old)).containsExactly("cnpg_backends_total");
        assertThat(metricNames(current)).containsExactly("cnpg_backends_total", "cnpg_backends_idle_backends");
        assertThat(old.variantFor(PgVersion.major(13))).isPresent();
        assertThat(current.variantFor(PgVersion.major(13))).isEmpty();

        QueryDef tables = catalog.queries().get(2);
        assertThat(tables.scope()).isEqualTo(Scope.DATABASE);
        assertThat(tables.databases()).containsExactly("app", "tenant_*");
        assertThat(tables.predicate()).contains("SELECT count(*) > 0 FROM pg_class WHERE relname = 'orders'");
        assertThat(tables.undeclaredColumns()).isEqualTo(UndeclaredColumns.IGNORE);
        assertThat(tables.column("state").orElseThrow().mapping()).isEqualTo(Map.of("ok", 0.0, "bloated", 1.0));
        assertThat(tables.role()).isEqualTo(ServerRole.ANY);

        QueryDef archive = catalog.queries().get(3);
        assertThat(archive.role()).isEqualTo(ServerRole.PRIMARY);
        assertThat(archive.ttl()).isEqualTo(Duration.ofSeconds(60));
        ColumnDef age = archive.column("age").orElseThrow();
        assertThat(age.usage()).isEqualTo(Usage.DURATION);
        assertThat(age.scale()).isEqualTo(1000.0);
        assertThat(metricNames(archive))
                .containsExactly("cnpg_archive_archived_count", "cnpg_archive_age_milliseconds");
    }

    @Test
    void thePrefixCanBeDropped() {
        Catalog catalog = CnpgQueriesYaml.read(LegacyQueriesYamlTest.resource("cnpg-queries.yaml"), "")
                .catalog();
        assertThat(catalog.queries())
                .extracting(QueryDef::name)
                .containsExactly("backends", "backends", "app_tables", "archive");
    }

    @Test
    void anInvalidPrefixIsACatalogException() {
        Problem p = onlyProblem(() -> CnpgQueriesYaml.read("a: {query: SELECT 1}", SRC, "cnpg-"));
        assertThat(p.message()).contains("prefix 'cnpg-' is not valid");
    }

    @Test
    void sharedNamesWithOverlappingVersionsAreAnErrorAtTheLaterKey() {
        String yaml = """
                backends_a:
                  name: backends
                  runonserver: "<15.0.0"
                  query: SELECT 1 AS total
                  metrics: [{total: {usage: GAUGE}}]
                backends_b:
                  name: backends
                  runonserver: ">=14.0.0"
                  query: SELECT 2 AS total
                  metrics: [{total: {usage: GAUGE}}]
                """;
        List<Problem> problems = problemsOf(() -> CnpgQueriesYaml.read(yaml, SRC, "cnpg_"));
        assertThat(problems).anySatisfy(p -> {
            assertThat(location(p)).isEqualTo("cnpg.yaml:7:9");
            assertThat(p.message()).contains("defined twice");
        });
        assertThat(problems).anySatisfy(p -> {
            assertThat(location(p)).isEqualTo(where(SRC, yaml, "total: {usage: GAUGE}}]\n", 1));
            assertThat(p.message()).contains("metric 'cnpg_backends_total'").contains("also emitted");
        });
    }

    @Test
    void columnNameOverrideRenamesTheMetric() {
        QueryDef q = CnpgQueriesYaml.read("""
                q:
                  query: SELECT 1 AS n, 2 AS w
                  metrics:
                    - n: {usage: COUNTER, name: count}
                    - w: {usage: DURATION, name: wait}
                """, SRC, "cnpg_").catalog().queries().get(0);
        assertThat(metricNames(q)).containsExactly("cnpg_q_count", "cnpg_q_wait_milliseconds");
    }

    @Test
    void badTargetDatabasesIsAnError() {
        String yaml = """
                q:
                  query: SELECT 1 AS n
                  target_databases: app
                  metrics: [{n: {usage: GAUGE}}]
                """;
        Problem p = onlyProblem(() -> CnpgQueriesYaml.read(yaml, SRC, "cnpg_"));
        assertThat(location(p)).isEqualTo("cnpg.yaml:3:21");
        assertThat(p.message()).contains("'target_databases' must be a list of text");
    }

    @Test
    void theDocumentedMisspellingMetricsMappingGetsAHint() {
        String yaml = """
                q:
                  query: SELECT 'ok' AS state
                  metrics:
                    - state: {usage: MAPPEDMETRIC, metrics_mapping: {ok: 0}}
                """;
        List<Problem> problems = problemsOf(() -> CnpgQueriesYaml.read(yaml, SRC, "cnpg_"));
        assertThat(problems).hasSize(2);
        assertThat(location(problems.get(0))).isEqualTo(where(SRC, yaml, "state:"));
        assertThat(problems.get(0).message()).contains("needs a mapping");
        assertThat(location(problems.get(1))).isEqualTo(where(SRC, yaml, "metrics_mapping"));
        assertThat(problems.get(1).message())
                .startsWith("warning: unknown key 'metrics_mapping'")
                .contains("Did you mean 'metric_mapping'?");
    }

    @Test
    void unknownKeysAreWarnings() {
        String yaml = """
                q:
                  query: SELECT 1 AS n
                  primry: true
                  metrics: [{n: {usage: GAUGE}}]
                """;
        LoadedQueries loaded = CnpgQueriesYaml.read(yaml, SRC, "cnpg_");
        assertThat(loaded.warnings()).singleElement().satisfies(w -> {
            assertThat(location(w)).isEqualTo("cnpg.yaml:3:3");
            assertThat(w.message()).contains("Did you mean 'primary'?");
        });
        assertThat(loaded.catalog().queries().get(0).role()).isEqualTo(ServerRole.ANY);
    }

    @Test
    void ourFormatsGatesInACloudNativePgFileAreRefused() {
        String yaml = """
                q:
                  query: SELECT 1 AS value
                  role: replica
                  metrics:
                    - value: {usage: GAUGE}
                """;
        Problem p = YamlProblems.onlyProblem(() -> CnpgQueriesYaml.read(yaml, SRC, ""));
        assertThat(YamlProblems.location(p)).isEqualTo(YamlProblems.where(SRC, yaml, "role"));
        assertThat(p.message())
                .isEqualTo("'role' is not a key of CloudNativePG's format, which would ignore it; write the"
                        + " query in pgmetrics' own catalog format, which honours it (the exporter's queries.catalog;"
                        + " CatalogYaml in Java)");
    }
}
