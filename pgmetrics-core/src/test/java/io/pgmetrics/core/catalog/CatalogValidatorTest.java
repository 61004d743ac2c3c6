package io.pgmetrics.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogValidatorTest {

    private static QueryDef.Builder query(String name) {
        return QueryDef.builder(name).sql("SELECT 1 AS v").column(ColumnDef.gauge("v", "a value"));
    }

    @Test
    void overlappingVersionRangesAreRejectedNamingBothVariants() {
        assertThatThrownBy(() -> QueryDef.builder("q")
                        .variant(VersionRange.between(13, 16), "SELECT 1 AS v")
                        .variant(VersionRange.from(15), "SELECT 2 AS v")
                        .column(ColumnDef.gauge("v", ""))
                        .build())
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("query 'q'")
                .hasMessageContaining("variants[1]")
                .hasMessageContaining(">=15 overlaps variant 0 (>=13 <16)");
    }

    @Test
    void adjacentRangesDoNotOverlapBecauseMaxIsExclusive() {
        QueryDef q = QueryDef.builder("q")
                .variant(VersionRange.below(16), "SELECT 1 AS v")
                .variant(VersionRange.from(16), "SELECT 2 AS v")
                .column(ColumnDef.gauge("v", ""))
                .build();
        assertThat(q.variantFor(PgVersion.parse("15.8")).orElseThrow().sql()).isEqualTo("SELECT 1 AS v");
        assertThat(q.variantFor(PgVersion.parse("16")).orElseThrow().sql()).isEqualTo("SELECT 2 AS v");
    }

    @Test
    void aDuplicateMetricNameAcrossQueriesIsAnErrorUnlessTheyCannotRunTogether() {
        QueryDef a = query("pg_a")
                .column(ColumnDef.builder("x", Usage.GAUGE).metric("pg_same").build())
                .build();
        QueryDef b = query("pg_b")
                .column(ColumnDef.builder("y", Usage.GAUGE).metric("pg_same").build())
                .build();
        assertThatThrownBy(() -> Catalog.of(a, b))
                .hasMessageContaining("metric 'pg_same'")
                .hasMessageContaining("also emitted by query 'pg_a'");

        QueryDef onPrimary = a.toBuilder().role(ServerRole.PRIMARY).build();
        QueryDef onReplica = b.toBuilder().role(ServerRole.REPLICA).build();
        assertThat(Catalog.of(onPrimary, onReplica).queries()).hasSize(2);
    }

    @Test
    void columnRulesAreCheckedWithQueryAndColumnNamed() {
        assertThatThrownBy(() -> QueryDef.builder("q")
                        .sql("SELECT 'a' AS s")
                        .column(ColumnDef.builder("s", Usage.MAPPEDMETRIC).build())
                        .build())
                .hasMessageContaining("query 'q', column 's', mapping: a MAPPEDMETRIC column needs a mapping");
        assertThatThrownBy(() -> QueryDef.builder("q")
                        .sql("SELECT 1 AS v, 1 AS v_sum")
                        .column(ColumnDef.builder("v", Usage.HISTOGRAM).build())
                        .column(ColumnDef.gauge("v_sum", ""))
                        .build())
                .hasMessageContaining("column 'v_sum', usage: is a companion of HISTOGRAM column 'v'");
        assertThatThrownBy(() -> QueryDef.builder("q")
                        .sql("SELECT ${limit} AS v")
                        .column(ColumnDef.gauge("v", ""))
                        .build())
                .hasMessageContaining("${limit}, which is not declared");
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        CatalogException e = org.junit.jupiter.api.Assertions.assertThrows(
                CatalogException.class,
                () -> QueryDef.builder("9bad").maxRows(0).build());
        assertThat(e.problems()).extracting(p -> p.field().orElse("")).contains("name", "sql", "max_rows", "columns");
    }

    @Test
    void strictNamesAddUnitsAndTotalAndApplyOverrides() {
        QueryDef q = QueryDef.builder("pg_stat_database")
                .sql("SELECT 1")
                .column(ColumnDef.counter("xact_commit", ""))
                .column(ColumnDef.builder("blk_read_time", Usage.COUNTER)
                        .scale(0.001)
                        .unit("seconds")
                        .build())
                .column(ColumnDef.builder("stats_reset", Usage.COUNTER)
                        .strict("pg_stat_database_stats_reset_timestamp_seconds", Usage.GAUGE)
                        .build())
                .parameters(Map.of())
                .build();
        assertThat(q.metricName(q.column("xact_commit").orElseThrow(), NamingProfile.COMPAT))
                .isEqualTo("pg_stat_database_xact_commit");
        assertThat(q.metricName(q.column("xact_commit").orElseThrow(), NamingProfile.STRICT))
                .isEqualTo("pg_stat_database_xact_commit_total");
        assertThat(q.metricName(q.column("blk_read_time").orElseThrow(), NamingProfile.STRICT))
                .isEqualTo("pg_stat_database_blk_read_time_seconds_total");
        assertThat(q.metricName(q.column("stats_reset").orElseThrow(), NamingProfile.STRICT))
                .isEqualTo("pg_stat_database_stats_reset_timestamp_seconds");
    }

    @Test
    void versionsParseInEveryWrittenForm() {
        assertThat(PgVersion.parse("16").num()).isEqualTo(160000);
        assertThat(PgVersion.parse("16.4").num()).isEqualTo(160004);
        assertThat(PgVersion.parse("9.6").num()).isEqualTo(90600);
        assertThat(PgVersion.parse("9.6.24").num()).isEqualTo(90624);
        assertThat(PgVersion.parse("170002").toString()).isEqualTo("17.2");
        assertThat(new PgVersion(160004).semver()).isEqualTo("16.4.0");
        assertThatThrownBy(() -> PgVersion.parse("sixteen")).hasMessageContaining("write e.g. 13, 16.2, 9.6 or 160002");
    }
}
