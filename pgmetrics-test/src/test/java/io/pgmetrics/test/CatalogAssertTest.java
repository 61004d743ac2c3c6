package io.pgmetrics.test;

import static io.pgmetrics.test.PgMetricsAssertions.assertThatCatalog;
import static io.pgmetrics.test.TestFiles.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.VersionRange;
import org.junit.jupiter.api.Test;

/** The checks that need no server: loading each format, warnings, one variant per major. */
class CatalogAssertTest {

    @Test
    void loadsEachFormat() {
        assertThat(assertThatCatalog(file("jobs-queries.yaml")).catalog().queries())
                .extracting(QueryDef::name)
                .containsExactly("app_jobs", "app_checkpoints", "app_database");
        assertThat(assertThatCatalog(file("jobs-queries-postgres-exporter.yaml"))
                        .hasNoWarnings()
                        .catalog()
                        .queries())
                .extracting(QueryDef::name)
                .containsExactly("app_jobs");
        assertThat(assertThatCatalog(file("jobs-queries-cloudnative-pg.yaml"), QueryFormat.CLOUDNATIVE_PG)
                        .hasNoWarnings()
                        .catalog()
                        .queries())
                .extracting(QueryDef::name)
                .containsExactly("cnpg_app_jobs");
    }

    @Test
    void detectsTheFormatByItsContent() {
        assertThat(QueryFormat.detect(file("jobs-queries.yaml"))).isEqualTo(QueryFormat.PGMETRICS);
        assertThat(QueryFormat.detect(file("jobs-queries-postgres-exporter.yaml")))
                .isEqualTo(QueryFormat.POSTGRES_EXPORTER);
    }

    @Test
    void aFileThatDoesNotLoadFailsWithEveryProblemAndWhere() {
        assertThatThrownBy(() -> assertThatCatalog(file("broken-queries.yaml")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not load as a PGMETRICS query file")
                .hasMessageContaining("broken-queries.yaml:4:5")
                .hasMessageContaining("Did you mean 'columns'?");
    }

    @Test
    void warningsFailOnlyWhenAsked() {
        CatalogAssert loaded = assertThatCatalog(file("warning-queries.yaml"));
        assertThatThrownBy(loaded::hasNoWarnings)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("warning-queries.yaml loaded with warnings")
                .hasMessageContaining("pg_version");
    }

    @Test
    void everyQueryHasOneVariantPerMajor() {
        assertThatCatalog(file("jobs-queries.yaml")).hasOneVariantPerMajor(13, 14, 15, 16, 17, 18);
    }

    @Test
    void aMissingOrSplitMajorIsNamed() {
        QueryDef from15 = QueryDef.builder("q_from15")
                .variant(VersionRange.from(15), "SELECT 1 AS v")
                .column(ColumnDef.gauge("v", "v"))
                .build();
        QueryDef splitIn16 = QueryDef.builder("q_split")
                .variant(VersionRange.of(null, PgVersion.parse("16.2")), "SELECT 1 AS v")
                .variant(VersionRange.of(PgVersion.parse("16.2"), null), "SELECT 2 AS v")
                .column(ColumnDef.gauge("v", "v"))
                .build();
        CatalogAssert catalog = assertThatCatalog(Catalog.of(from15, splitIn16));
        assertThatThrownBy(() -> catalog.hasOneVariantPerMajor(14, 16))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("query 'q_from15' has no variant for PostgreSQL 14")
                .hasMessageContaining("query 'q_split' changes variant within PostgreSQL 16")
                .hasMessageNotContaining("q_split' has no variant");
        catalog.hasOneVariantPerMajor(15, 17);
    }

    @Test
    void queriesSharingANameCountTogether() {
        QueryDef old = QueryDef.builder("q")
                .variant(VersionRange.below(15), "SELECT 1 AS v")
                .column(ColumnDef.gauge("v", "v"))
                .build();
        QueryDef current = QueryDef.builder("q")
                .variant(VersionRange.from(15), "SELECT 2 AS v")
                .column(ColumnDef.gauge("v", "v"))
                .build();
        assertThatCatalog(Catalog.of(old, current)).hasOneVariantPerMajor(13, 14, 15, 16, 17, 18);
    }
}
