package io.pgmetrics.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogOverlayTest {

    /** Shaped like the built-in pg_replication: three families under collector replication. */
    private static final QueryDef REPLICATION = QueryDef.builder("pg_replication")
            .collector("replication")
            .sql("SELECT 0 AS lag, false AS is_replica, 0 AS last_replay")
            .columns(
                    ColumnDef.builder("lag", Usage.GAUGE)
                            .rename("lag_seconds")
                            .unit("seconds")
                            .build(),
                    ColumnDef.gauge("is_replica", "1 on a standby"),
                    ColumnDef.builder("last_replay", Usage.GAUGE)
                            .rename("last_replay_seconds")
                            .build())
            .build();

    private static final QueryDef SETTINGS = QueryDef.builder("pg_settings")
            .collector("settings")
            .sql("SELECT name AS metric, setting::float8 AS value FROM pg_settings")
            .columns(
                    ColumnDef.builder("metric", Usage.DISCARD).build(),
                    ColumnDef.builder("value", Usage.GAUGE).nameFrom("metric").build(),
                    ColumnDef.counter("extra", "a fixed family next to the per-row ones"))
            .build();
    private static final Catalog BASE = Catalog.of(REPLICATION, SETTINGS);

    private static CatalogOverlay.Result overlay(Catalog custom) {
        return CatalogOverlay.apply(BASE, custom, NamingProfile.COMPAT);
    }

    private static Catalog legacy(String yaml) {
        return LegacyQueriesYaml.read(yaml, "queries.yaml").catalog();
    }

    @Test
    void aCustomQueryOfTheSameNameWithOtherFamiliesLeavesTheBuiltInFamiliesInPlace() {
        // postgres_exporter's historical example: pg_replication with only 'lag'
        CatalogOverlay.Result r = overlay(legacy("""
                pg_replication:
                  query: SELECT 1.5 AS lag
                  master: true
                  metrics:
                    - lag: {usage: GAUGE, description: Replication lag behind master in seconds}
                """));
        List<String> compat = families(r.catalog(), NamingProfile.COMPAT);
        assertThat(compat)
                .contains(
                        "pg_replication_lag",
                        "pg_replication_lag_seconds",
                        "pg_replication_is_replica",
                        "pg_replication_last_replay_seconds");
        // the custom query keeps its name; the rest of the built-in one runs under another
        assertThat(r.catalog().queries().get(0).name()).isEqualTo("pg_replication");
        QueryDef rest = r.catalog().query("pg_replication:builtin").orElseThrow();
        assertThat(rest.collector()).isEqualTo("replication");
        assertThat(rest.columns()).hasSize(3);
        assertThat(families(Catalog.of(rest), NamingProfile.STRICT))
                .containsExactlyInAnyOrderElementsOf(families(Catalog.of(REPLICATION), NamingProfile.STRICT));
        assertThat(r.replacements()).singleElement().satisfies(rep -> {
            assertThat(rep.whole()).isFalse();
            assertThat(rep.replaced()).isEmpty();
            assertThat(rep.keptAs()).isEqualTo("pg_replication:builtin");
            assertThat(rep.describe(NamingProfile.COMPAT))
                    .isEqualTo("built-in query pg_replication: its name is taken by"
                            + " custom query pg_replication; all its families stay, as query pg_replication:builtin");
        });
    }

    @Test
    void aCustomFamilyReplacesOnlyThatFamilyAndComesFirst() {
        CatalogOverlay.Result r = overlay(legacy("""
                pg_replication_is:
                  query: SELECT 1 AS replica
                  metrics:
                    - replica: {usage: GAUGE, description: mine}
                """));
        // pg_replication_is_replica now comes from the custom query
        assertThat(r.catalog().queries().get(0).name()).isEqualTo("pg_replication_is");
        QueryDef rest = r.catalog().query("pg_replication").orElseThrow();
        assertThat(rest.columns()).extracting(ColumnDef::name).containsExactly("lag", "last_replay");
        CatalogOverlay.Replacement rep = r.replacements().get(0);
        assertThat(rep.families(NamingProfile.COMPAT)).containsExactly("pg_replication_is_replica");
        assertThat(rep.by()).containsExactly("pg_replication_is");
        assertThat(rep.describe(NamingProfile.COMPAT))
                .isEqualTo(
                        "built-in query pg_replication: families"
                                + " pg_replication_is_replica replaced by custom query pg_replication_is; its other families stay");
    }

    @Test
    void aBuiltInQueryThatKeepsNoFamilyIsLeftOutWhole() {
        CatalogOverlay.Result r = overlay(Catalog.of(QueryDef.builder("mine")
                .sql("SELECT 1")
                .columns(
                        ColumnDef.builder("a", Usage.GAUGE)
                                .metric("pg_replication_lag_seconds")
                                .build(),
                        ColumnDef.builder("b", Usage.GAUGE)
                                .metric("pg_replication_is_replica")
                                .build(),
                        ColumnDef.builder("c", Usage.GAUGE)
                                .metric("pg_replication_last_replay_seconds")
                                .build())
                .build()));
        assertThat(r.catalog().queries()).extracting(QueryDef::name).containsExactly("mine", "pg_settings");
        assertThat(r.replacements()).singleElement().satisfies(rep -> {
            assertThat(rep.whole()).isTrue();
            assertThat(rep.describe(NamingProfile.COMPAT))
                    .startsWith("built-in query pg_replication: replaced whole (");
        });
    }

    @Test
    void aQueryWhoseNamesComeFromRowsCannotBeRenamedSoItIsReplacedWholeWhenItsNameIsTaken() {
        CatalogOverlay.Result r = overlay(legacy("""
                pg_settings:
                  query: SELECT 1 AS max_connections
                  metrics:
                    - max_connections: {usage: GAUGE, description: mine}
                """));
        assertThat(r.catalog().queries()).extracting(QueryDef::name).containsExactly("pg_settings", "pg_replication");
        assertThat(r.replacements())
                .singleElement()
                .extracting(CatalogOverlay.Replacement::whole)
                .isEqualTo(true);
    }

    @Test
    void noCustomQueriesChangeNothing() {
        CatalogOverlay.Result r = overlay(Catalog.EMPTY);
        assertThat(r.catalog()).isEqualTo(BASE);
        assertThat(r.replacements()).isEmpty();
    }

    @Test
    void twoCustomQueriesOfOneFamilyStillClash() {
        Catalog custom = legacy("""
                a:
                  query: SELECT 1 AS x
                  metrics:
                    - x: {usage: GAUGE, description: x}
                """);
        QueryDef other = QueryDef.builder("b")
                .sql("SELECT 1")
                .columns(ColumnDef.builder("y", Usage.GAUGE).metric("a_x").build())
                .build();
        assertThatThrownBy(() -> overlay(new Catalog(List.of(custom.queries().get(0))).merge(Catalog.of(other))))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("a_x");
    }

    @Test
    void aFamilyDeclaredOnlyUnderTheOtherProfileStaysUnderTheActiveOne() {
        // a legacy COUNTER 'calls' is pg_stat_calls in compat and pg_stat_calls_total in strict: the built-in's
        // strict name, and also its compat name, so only under strict do the two meet
        QueryDef builtin = QueryDef.builder("pg_stat")
                .sql("SELECT 1 AS calls_total")
                .columns(ColumnDef.builder("calls_total", Usage.COUNTER).build())
                .build();
        Catalog custom = legacy("""
                pg_stat:
                  query: SELECT 1 AS calls
                  metrics:
                    - calls: {usage: COUNTER, description: mine}
                """);
        CatalogOverlay.Result compat = CatalogOverlay.apply(Catalog.of(builtin), custom, NamingProfile.COMPAT);
        assertThat(families(compat.catalog(), NamingProfile.COMPAT))
                .containsExactly("pg_stat_calls", "pg_stat_calls_total");
        assertThat(families(compat.catalog(), NamingProfile.STRICT)).containsExactly("pg_stat_calls_total");
        assertThat(compat.replacements())
                .singleElement()
                .satisfies(r -> assertThat(r.replaced()).isEmpty());

        CatalogOverlay.Result strict = CatalogOverlay.apply(Catalog.of(builtin), custom, NamingProfile.STRICT);
        assertThat(families(strict.catalog(), NamingProfile.STRICT)).containsExactly("pg_stat_calls_total");
        assertThat(strict.replacements()).singleElement().satisfies(r -> {
            assertThat(r.whole()).isTrue();
            assertThat(r.families(NamingProfile.STRICT)).containsExactly("pg_stat_calls_total");
        });
    }

    private static List<String> families(Catalog c, NamingProfile p) {
        return c.queries().stream()
                .flatMap(q -> q.columns().stream()
                        .filter(col -> col.usage(p).isMetric())
                        .map(col -> q.metricName(col, p)))
                .toList();
    }
}
