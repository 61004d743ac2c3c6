package io.pgmetrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.VersionRange;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.testing.PgServer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine on every supported major, as a pg_monitor role that is not a superuser. */
class VersionMatrixTest {

    static List<Integer> majors() {
        return PgServer.supportedMajors();
    }

    /** A query with one variant per version band, like the built-in catalog's bgwriter/checkpointer split. */
    private static final QueryDef VERSIONED = QueryDef.builder("pg_band")
            .variant(VersionRange.below(15), "SELECT 1 AS band, current_setting('server_version_num')::int AS num")
            .variant(
                    VersionRange.between(15, 17), "SELECT 2 AS band, current_setting('server_version_num')::int AS num")
            .variant(
                    VersionRange.from(17),
                    "SELECT 3 AS band, num_timed AS checkpoints, current_setting('server_version_num')::int AS num FROM pg_stat_checkpointer")
            .column(ColumnDef.gauge("band", "which variant ran"))
            .column(ColumnDef.gauge("num", "server_version_num"))
            .build();

    private static final QueryDef PER_DATABASE = QueryDef.builder("pg_db_size")
            .scope(Scope.DATABASE)
            .sql("SELECT pg_database_size(current_database()) AS bytes")
            .column(ColumnDef.gauge("bytes", "size"))
            .build();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("majors")
    void plansTheRightVariantAndCollectsAsAMonitorRole(int major) throws Exception {
        try (PgServer pg = PgServer.start(major);
                PgMetrics m = PgMetrics.builder()
                        .dsn(pg.monitorDsn())
                        .catalog(Catalog.of(VERSIONED, PER_DATABASE))
                        .build()) {
            CollectionResult c = m.collect();
            assertThat(c.up()).isTrue();
            assertThat(c.failures()).isEmpty();
            int expectedBand = major < 15 ? 1 : major < 17 ? 2 : 3;
            assertThat(c.family("pg_band_band").flatMap(f -> f.value(Labels.EMPTY)))
                    .contains((double) expectedBand);
            assertThat(c.family("pg_band_num")
                                    .flatMap(f -> f.value(Labels.EMPTY))
                                    .orElseThrow()
                            / 10000)
                    .isEqualTo((double) major, org.assertj.core.data.Offset.offset(0.99));
            Plan plan = m.plan().orElseThrow();
            assertThat(plan.facts().version().major()).isEqualTo(major);
            assertThat(plan.facts().extensions()).contains("pg_stat_statements");
            assertThat(c.family("pg_db_size_bytes")
                            .orElseThrow()
                            .value(Labels.of("datname", "postgres"))
                            .orElseThrow())
                    .isPositive();
            try (var conn = pg.monitorConnection();
                    var rs = conn.createStatement()
                            .executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                assertThat(rs.getBoolean(1))
                        .as("tests connect as a non-superuser")
                        .isFalse();
            }
            System.out.println("PostgreSQL " + plan.facts().version() + ": variant " + expectedBand + " ran, "
                    + c.families().size() + " families");
        }
    }
}
