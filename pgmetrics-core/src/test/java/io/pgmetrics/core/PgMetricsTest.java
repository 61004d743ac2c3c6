package io.pgmetrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.VersionRange;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.testing.PgServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine against one real server, as a pg_monitor role. The version matrix is in {@link VersionMatrixTest}. */
class PgMetricsTest {

    static PgServer pg;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        pg.superuserSql(
                "CREATE TABLE IF NOT EXISTS victim(id int)",
                "GRANT SELECT ON victim TO " + PgServer.MONITOR_USER,
                "CREATE DATABASE app",
                "CREATE DATABASE shop");
        pg.superuserSqlIn("app", "CREATE TABLE t(id int)");
        pg.superuserSqlIn("shop", "CREATE TABLE t(id int)", "CREATE TABLE u(id int)");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static QueryDef gauge(String name, String sql) {
        return QueryDef.builder(name)
                .sql(sql)
                .column(ColumnDef.gauge("v", "value of " + name))
                .build();
    }

    private static PgMetrics metrics(QueryDef... queries) {
        return PgMetrics.builder()
                .dsn(pg.monitorDsn())
                .catalog(Catalog.of(queries))
                .build();
    }

    private static double value(CollectionResult c, String family, Labels labels) {
        return c.family(family)
                .flatMap(f -> f.value(labels))
                .orElseThrow(() -> new AssertionError(family + labels + " missing; families: "
                        + c.families().stream().map(MetricFamily::name).toList() + "; outcomes: " + c.outcomes()));
    }

    @Test
    void aSlowQueryIsCutAtItsTimeoutWhileTheOthersAreServed() {
        QueryDef slow = QueryDef.builder("pg_slow")
                .sql("SELECT 1 AS v FROM pg_sleep(5)")
                .timeout(Duration.ofMillis(300))
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = metrics(slow, gauge("pg_fast", "SELECT 7 AS v"))) {
            long t0 = System.nanoTime();
            CollectionResult c = m.collect();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(value(c, "pg_fast_v", Labels.EMPTY)).isEqualTo(7);
            assertThat(c.family("pg_slow_v")).isEmpty();
            assertThat(c.outcomes())
                    .filteredOn(o -> o.query().equals("pg_slow"))
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o.status()).isEqualTo(QueryOutcome.Status.TIMED_OUT);
                        assertThat(o.message().orElseThrow()).contains("timeout");
                    });
            assertThat(value(c, "pgmetrics_query_success", Labels.of("query", "pg_slow")))
                    .isZero();
            assertThat(value(c, "pgmetrics_query_success", Labels.of("query", "pg_fast")))
                    .isEqualTo(1);
            assertThat(value(c, "pgmetrics_query_errors_total", Labels.of("query", "pg_slow")))
                    .isEqualTo(1);
        }
    }

    @Test
    void aFailingQueryCostsOnlyItselfAndIsCountedEachTime() {
        try (PgMetrics m =
                metrics(gauge("pg_broken", "SELECT v FROM no_such_table"), gauge("pg_ok", "SELECT 1 AS v"))) {
            m.collect();
            CollectionResult c = m.collect();
            assertThat(value(c, "pg_ok_v", Labels.EMPTY)).isEqualTo(1);
            assertThat(value(c, "pgmetrics_query_errors_total", Labels.of("query", "pg_broken")))
                    .isEqualTo(2);
            assertThat(c.failures())
                    .singleElement()
                    .satisfies(o -> assertThat(o.message().orElseThrow()).contains("no_such_table"));
            assertThat(value(c, "pg_scrape_collector_success", Labels.of("collector", "pg_broken")))
                    .isZero();
            assertThat(value(c, "pg_up", Labels.EMPTY)).isEqualTo(1);
        }
    }

    @Test
    void aQueryThatTriesToWriteFailsAndWritesNothing() throws Exception {
        QueryDef writer = QueryDef.builder("pg_writer")
                .sql("WITH w AS (INSERT INTO victim VALUES (1) RETURNING id) SELECT count(*) AS v FROM w")
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = metrics(writer)) {
            CollectionResult c = m.collect();
            assertThat(c.failures())
                    .singleElement()
                    .satisfies(o -> assertThat(o.message().orElseThrow()).contains("read-only transaction"));
        }
        try (var conn = pg.superuserConnection();
                var rs = conn.createStatement().executeQuery("SELECT count(*) FROM victim")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aSuccessfulResultIsCachedForItsTtlButAFailureNever() {
        QueryDef cached = QueryDef.builder("pg_cached")
                .sql("SELECT extract(epoch FROM clock_timestamp()) AS v")
                .ttl(Duration.ofMinutes(1))
                .column(ColumnDef.gauge("v", ""))
                .build();
        QueryDef failing = QueryDef.builder("pg_failing")
                .sql("SELECT 1/0 AS v")
                .ttl(Duration.ofMinutes(1))
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = metrics(cached, failing)) {
            CollectionResult first = m.collect();
            CollectionResult second = m.collect();
            assertThat(value(second, "pg_cached_v", Labels.EMPTY)).isEqualTo(value(first, "pg_cached_v", Labels.EMPTY));
            assertThat(value(second, "pgmetrics_query_cache_hits_total", Labels.of("query", "pg_cached")))
                    .isEqualTo(1);
            assertThat(value(second, "pgmetrics_query_cache_hits_total", Labels.of("query", "pg_failing")))
                    .isZero();
            assertThat(value(second, "pgmetrics_query_errors_total", Labels.of("query", "pg_failing")))
                    .isEqualTo(2);
        }
    }

    @Test
    void duplicateSeriesAreDroppedAndCountedNeverFailingTheScrape() {
        QueryDef dupes = QueryDef.builder("pg_dupes")
                .sql("SELECT 'a' AS k, 1 AS v UNION ALL SELECT 'a', 2 UNION ALL SELECT 'b', 3")
                .column(ColumnDef.label("k"))
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = metrics(dupes)) {
            CollectionResult c = m.collect();
            assertThat(value(c, "pg_dupes_v", Labels.of("k", "a"))).isEqualTo(1);
            assertThat(value(c, "pg_dupes_v", Labels.of("k", "b"))).isEqualTo(3);
            assertThat(c.duplicatesDropped()).isEqualTo(1);
            assertThat(value(c, "pgmetrics_series_dropped_total", Labels.EMPTY)).isEqualTo(1);
        }
    }

    @Test
    void concurrentCollectionsShareOneRun() throws Exception {
        QueryDef counted = QueryDef.builder("pg_counted")
                .sql("SELECT 1 AS v FROM pg_sleep(0.4)")
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = metrics(counted)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CollectionResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return m.collect();
                }));
            }
            go.countDown();
            java.util.Set<CollectionResult> distinct =
                    java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Future<CollectionResult> f : results) {
                distinct.add(f.get());
            }
            pool.shutdown();
            assertThat(distinct)
                    .as("8 concurrent callers, collections actually run")
                    .hasSizeLessThanOrEqualTo(2);
            CollectionResult last = m.collect();
            assertThat(value(last, "pgmetrics_collections_total", Labels.EMPTY)).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void databaseScopedQueriesRunInEverySelectedDatabaseWithADatnameLabel() {
        QueryDef tables = QueryDef.builder("pg_tables")
                .scope(Scope.DATABASE)
                .sql("SELECT count(*) AS v FROM pg_tables WHERE schemaname = 'public'")
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(pg.monitorDsn())
                .catalog(Catalog.of(tables))
                .poolSettings(io.pgmetrics.core.connect.PoolSettings.builder()
                        .maxConnections(2)
                        .build())
                .databases(List.of(), List.of("postgres"))
                .build()) {
            CollectionResult c = m.collect();
            assertThat(value(c, "pg_tables_v", Labels.of("datname", "app"))).isEqualTo(1);
            assertThat(value(c, "pg_tables_v", Labels.of("datname", "shop"))).isEqualTo(2);
            assertThat(c.family("pg_tables_v").orElseThrow().samples()).hasSize(2);
            assertThat(pg.monitorBackends())
                    .as("connection cap holds across databases")
                    .isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aPredicateGatesItsQueryWithoutCountingAnError() {
        QueryDef yes = QueryDef.builder("pg_yes")
                .predicate("SELECT true")
                .sql("SELECT 1 AS v")
                .column(ColumnDef.gauge("v", ""))
                .build();
        QueryDef no = QueryDef.builder("pg_no")
                .predicate("SELECT false")
                .sql("SELECT 1 AS v")
                .column(ColumnDef.gauge("v", ""))
                .build();
        QueryDef unknown = QueryDef.builder("pg_null")
                .predicate("SELECT NULL::boolean")
                .sql("SELECT 1 AS v")
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = metrics(yes, no, unknown)) {
            CollectionResult c = m.collect();
            assertThat(value(c, "pg_yes_v", Labels.EMPTY)).isEqualTo(1);
            assertThat(c.family("pg_no_v")).isEmpty();
            assertThat(c.family("pg_null_v")).isEmpty();
            assertThat(c.failures()).isEmpty();
            assertThat(c.outcomes())
                    .filteredOn(o -> o.status() == QueryOutcome.Status.SKIPPED)
                    .extracting(QueryOutcome::query)
                    .containsExactlyInAnyOrder("pg_no", "pg_null");
        }
    }

    @Test
    void aPredicateOfAnyOtherShapeThanOneRowOfOneBooleanFailsItsQueryWhichDoesNotRun() {
        Map<String, String> predicates = new java.util.LinkedHashMap<>();
        predicates.put("pg_rows", "SELECT true FROM generate_series(1, 2)");
        predicates.put("pg_none", "SELECT true WHERE false");
        predicates.put("pg_cols", "SELECT true, true");
        predicates.put("pg_int", "SELECT 1");
        predicates.put("pg_text", "SELECT 'true'");
        List<QueryDef> queries = new ArrayList<>();
        // each would export <name>_v had it run
        predicates.forEach((name, p) -> queries.add(QueryDef.builder(name)
                .predicate(p)
                .sql("SELECT 1 AS v")
                .column(ColumnDef.gauge("v", ""))
                .build()));
        try (PgMetrics m = metrics(queries.toArray(QueryDef[]::new))) {
            CollectionResult c = m.collect();
            assertThat(c.families())
                    .extracting(f -> f.name())
                    .doesNotContain("pg_rows_v", "pg_none_v", "pg_cols_v", "pg_int_v", "pg_text_v");
            Map<String, String> failures = new java.util.HashMap<>();
            c.outcomes()
                    .forEach(o -> failures.put(
                            o.query(), o.status() + " " + o.message().orElse("")));
            assertThat(failures.get("pg_rows")).startsWith("FAILED").contains("exactly one row, it returned several");
            assertThat(failures.get("pg_none")).startsWith("FAILED").contains("exactly one row, it returned none");
            assertThat(failures.get("pg_cols"))
                    .startsWith("FAILED")
                    .contains("one boolean column, it returned 2 columns");
            assertThat(failures.get("pg_int")).startsWith("FAILED").contains("Long");
            assertThat(failures.get("pg_text")).startsWith("FAILED").contains("String");
        }
    }

    @Test
    void variantsAreChosenByServerVersion() {
        QueryDef q = QueryDef.builder("pg_which")
                .variant(VersionRange.below(PgServer.defaultMajor()), "SELECT 1 AS v")
                .variant(VersionRange.from(PgServer.defaultMajor()), "SELECT 2 AS v")
                .column(ColumnDef.gauge("v", ""))
                .build();
        try (PgMetrics m = metrics(q)) {
            assertThat(value(m.collect(), "pg_which_v", Labels.EMPTY)).isEqualTo(2);
            assertThat(m.plan().orElseThrow().facts().version().major()).isEqualTo(PgServer.defaultMajor());
        }
    }
}
