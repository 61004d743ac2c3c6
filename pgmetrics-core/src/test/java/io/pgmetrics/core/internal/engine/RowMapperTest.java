package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMapperTest {

    private static List<MetricFamily> map(
            QueryDef q, NamingProfile profile, String db, List<String> columns, Object[]... rows) {
        FamilySet out = new FamilySet();
        mapInto(
                new RowMapper(q, profile),
                new RowSet(columns, List.of(rows), false),
                Labels.of("cluster", "eu"),
                db,
                out);
        return out.build();
    }

    /** Maps one read and merges it, as a collection does. */
    private static void mapInto(RowMapper m, RowSet rows, Labels base, String db, FamilySet out) {
        out.addRead(m.map(rows, base, db, new ArrayList<>()));
    }

    private static MetricFamily family(List<MetricFamily> families, String name) {
        return families.stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in "
                        + families.stream().map(MetricFamily::name).toList()));
    }

    @Test
    void everyUsageBecomesTheRightSeries() {
        QueryDef q = QueryDef.builder("app_queue")
                .sql("SELECT ...")
                .column(ColumnDef.label("queue"))
                .column(ColumnDef.builder("health", Usage.MAPPEDMETRIC)
                        .mapping(Map.of("ok", 0.0, "degraded", 1.0))
                        .build())
                .column(ColumnDef.counter("processed", "done"))
                .column(ColumnDef.gauge("pending", "waiting"))
                .column(ColumnDef.builder("oldest_wait", Usage.DURATION).build())
                .column(ColumnDef.builder("wait", Usage.HISTOGRAM).build())
                .column(ColumnDef.builder("skip", Usage.DISCARD).build())
                .build();
        List<MetricFamily> out = map(
                q,
                NamingProfile.COMPAT,
                null,
                List.of(
                        "queue",
                        "health",
                        "processed",
                        "pending",
                        "oldest_wait",
                        "wait",
                        "wait_bucket",
                        "wait_sum",
                        "wait_count",
                        "skip"),
                new Object[] {
                    "mail",
                    "degraded",
                    1520L,
                    3L,
                    Duration.ofSeconds(42),
                    new double[] {1, 10, 60},
                    new double[] {0, 1, 3},
                    57.5,
                    3L,
                    "x"
                });
        Labels mail = Labels.of("cluster", "eu", "queue", "mail");
        assertThat(family(out, "app_queue_health").value(mail)).contains(1.0);
        assertThat(family(out, "app_queue_processed").type()).isEqualTo(MetricType.COUNTER);
        assertThat(family(out, "app_queue_processed").value(mail)).contains(1520.0);
        assertThat(family(out, "app_queue_pending").value(mail)).contains(3.0);
        assertThat(family(out, "app_queue_oldest_wait").value(mail)).contains(42.0);
        MetricFamily wait = family(out, "app_queue_wait");
        assertThat(wait.type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(wait.samples())
                .extracting(s -> s.suffix() + s.labels().get("le").orElse("") + "=" + s.value())
                .containsExactly(
                        "_bucket1=0.0", "_bucket10=1.0", "_bucket60=3.0", "_bucket+Inf=3.0", "_sum=57.5", "_count=3.0");
        assertThat(out).extracting(MetricFamily::name).doesNotContain("app_queue_skip", "app_queue_queue");
    }

    @Test
    void nullGivesNoSeriesUnlessADefaultIsDeclared() {
        QueryDef q = QueryDef.builder("q")
                .sql("SELECT")
                .column(ColumnDef.label("k"))
                .column(ColumnDef.gauge("a", ""))
                .column(ColumnDef.builder("b", Usage.GAUGE).nullValue(0).build())
                .build();
        List<MetricFamily> out =
                map(q, NamingProfile.COMPAT, null, List.of("k", "a", "b"), new Object[] {null, null, null});
        assertThat(out).extracting(MetricFamily::name).containsExactly("q_b");
        assertThat(family(out, "q_b").value(Labels.of("cluster", "eu", "k", "")))
                .contains(0.0);
    }

    @Test
    void durationsAcceptIntervalsGoDurationsAndMilliseconds() {
        assertThat(Values.durationSeconds("00:05:00")).isEqualTo(300.0);
        assertThat(Values.durationSeconds("1 day 02:00:00.5")).isEqualTo(93600.5);
        assertThat(Values.durationSeconds("300ms")).isEqualTo(0.3);
        assertThat(Values.durationSeconds("1h2m3.5s")).isEqualTo(3723.5);
        assertThat(Values.durationSeconds(1500L)).isEqualTo(1.5);
        assertThat(Values.durationSeconds("soon")).isNull();
    }

    @Test
    void databaseScopeAddsDatnameAndDuplicatesAreDroppedNotFatal() {
        QueryDef q = QueryDef.builder("pg_t")
                .sql("SELECT")
                .column(ColumnDef.label("relname"))
                .column(ColumnDef.gauge("n", ""))
                .build();
        FamilySet out = new FamilySet();
        RowMapper m = new RowMapper(q, NamingProfile.COMPAT);
        RowSet rows = new RowSet(
                List.of("relname", "n"), List.<Object[]>of(new Object[] {"t", 1L}, new Object[] {"t", 2L}), false);
        mapInto(m, rows, Labels.EMPTY, "app", out);
        mapInto(m, rows, Labels.EMPTY, "shop", out);
        MetricFamily f = family(out.build(), "pg_t_n");
        assertThat(f.value(Labels.of("datname", "app", "relname", "t"))).contains(1.0);
        assertThat(f.value(Labels.of("datname", "shop", "relname", "t"))).contains(1.0);
        assertThat(out.duplicates())
                .as("second row of each database repeats the series")
                .isEqualTo(2);
    }

    @Test
    void aDeclaredColumnMissingFromTheResultFailsTheQueryWithBothListsNamed() {
        QueryDef q = QueryDef.builder("q")
                .sql("SELECT")
                .column(ColumnDef.label("mode"))
                .column(ColumnDef.gauge("n", ""))
                .build();
        assertThatThrownBy(() -> map(q, NamingProfile.COMPAT, null, List.of("n", "other"), new Object[] {1L, 2L}))
                .isInstanceOf(QueryFailure.class)
                .hasMessageContaining("declared column(s) mode not in the result (it has n, other)");
    }

    @Test
    void undeclaredNumericColumnsAreUntypedInLegacyModeAndNamesComeFromRows() {
        QueryDef legacy = QueryDef.builder("ns")
                .sql("SELECT")
                .undeclaredColumns(UndeclaredColumns.UNTYPED)
                .column(ColumnDef.gauge("a", ""))
                .build();
        List<MetricFamily> out =
                map(legacy, NamingProfile.COMPAT, null, List.of("a", "extra", "text"), new Object[] {1L, 2.5, "x"});
        assertThat(family(out, "ns_extra").type()).isEqualTo(MetricType.UNTYPED);
        assertThat(family(out, "ns_extra").help()).isEqualTo("Unknown metric from ns");
        assertThat(out).extracting(MetricFamily::name).doesNotContain("ns_text");

        QueryDef settings = QueryDef.builder("pg_settings")
                .sql("SELECT")
                .column(ColumnDef.builder("metric", Usage.DISCARD).build())
                .column(ColumnDef.builder("description", Usage.DISCARD).build())
                .column(ColumnDef.builder("value", Usage.GAUGE)
                        .nameFrom("metric")
                        .helpFrom("description")
                        .build())
                .build();
        List<MetricFamily> s =
                map(settings, NamingProfile.COMPAT, null, List.of("metric", "description", "value"), new Object[] {
                    "rds.rds-superuser_reserved_connections", "Server Parameter: x", 3L
                });
        assertThat(family(s, "pg_settings_rds_rds_superuser_reserved_connections")
                        .help())
                .isEqualTo("Server Parameter: x");
    }

    @Test
    void aKeptMapperFollowsAResultWhoseColumnsMovedAndLabelsKeepTheirPrecedence() {
        QueryDef q = QueryDef.builder("pg_t")
                .sql("SELECT")
                .column(ColumnDef.label("cluster")) // a label column overrides the constant label of its name
                .column(ColumnDef.label("relname"))
                .column(ColumnDef.gauge("n", ""))
                .build();
        RowMapper m = new RowMapper(q, NamingProfile.COMPAT);
        FamilySet first = new FamilySet();
        mapInto(
                m,
                new RowSet(List.of("cluster", "relname", "n"), List.<Object[]>of(new Object[] {"us", "a", 1L}), false),
                Labels.of("cluster", "eu", "env", "prod"),
                "app",
                first);
        FamilySet moved = new FamilySet();
        mapInto(
                m,
                new RowSet(List.of("n", "relname", "cluster"), List.<Object[]>of(new Object[] {2L, "b", "ap"}), false),
                Labels.of("cluster", "eu", "env", "prod"),
                "shop",
                moved);
        FamilySet noDatabase = new FamilySet();
        mapInto(
                m,
                new RowSet(List.of("n", "relname", "cluster"), List.<Object[]>of(new Object[] {3L, "c", "ap"}), false),
                Labels.of("env", "test"),
                null,
                noDatabase);

        assertThat(family(first.build(), "pg_t_n").samples())
                .extracting(s -> s.labels().toString() + " " + s.value())
                .containsExactly("{cluster=\"us\",datname=\"app\",env=\"prod\",relname=\"a\"} 1.0");
        assertThat(family(moved.build(), "pg_t_n").samples())
                .extracting(s -> s.labels().toString() + " " + s.value())
                .containsExactly("{cluster=\"ap\",datname=\"shop\",env=\"prod\",relname=\"b\"} 2.0");
        assertThat(family(noDatabase.build(), "pg_t_n").samples())
                .extracting(s -> s.labels().toString() + " " + s.value())
                .containsExactly("{cluster=\"ap\",env=\"test\",relname=\"c\"} 3.0");
    }

    @Test
    void namesFromRowValuesAreRightForEveryRowWhenRemembered() {
        QueryDef settings = QueryDef.builder("pg_settings")
                .sql("SELECT")
                .column(ColumnDef.builder("metric", Usage.DISCARD).build())
                .column(ColumnDef.builder("value", Usage.GAUGE)
                        .nameFrom("metric")
                        .build())
                .build();
        RowMapper m = new RowMapper(settings, NamingProfile.COMPAT);
        for (int round = 0; round < 2; round++) { // the second round reads the remembered names
            FamilySet out = new FamilySet();
            mapInto(
                    m,
                    new RowSet(
                            List.of("metric", "value"),
                            List.<Object[]>of(
                                    new Object[] {"max_connections", 100L},
                                    new Object[] {"work.mem", 4L},
                                    new Object[] {"max_connections", 7L}),
                            false),
                    Labels.EMPTY,
                    null,
                    out);
            List<MetricFamily> families = out.build();
            assertThat(families)
                    .extracting(MetricFamily::name)
                    .containsExactly("pg_settings_max_connections", "pg_settings_work_mem");
            assertThat(family(families, "pg_settings_max_connections").value(Labels.EMPTY))
                    .contains(100.0);
            assertThat(out.duplicates())
                    .as("the third row repeats the first series")
                    .isEqualTo(1);
        }
    }
}
