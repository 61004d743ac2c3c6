package io.pgmetrics.queries;

import static io.pgmetrics.queries.MonitorSql.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.catalog.Variant;
import io.pgmetrics.core.publish.TextFormat;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.Sample;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole catalog on a real server of every supported major, as the pg_monitor role that is not a
 * superuser: every query (enabled or not) runs and returns its declared columns, and the
 * compatibility details that depend on data (zero-filled grids, unit conversions, top-N without
 * duplicates) hold. One server per major serves every check.
 */
class CatalogOnServersTest {

    private static final Catalog CATALOG = BuiltinCatalog.load();
    private static final ExpectedFamilies EXPECTED = ExpectedFamilies.load();

    static List<Integer> majors() {
        return PgServer.supportedMajors();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("majors")
    void wholeCatalogOnARealServer(int major) throws Exception {
        try (PgServer server = PgServer.start(major)) {
            Workload.apply(server);
            try (AutoCloseable stream = Workload.streamFromLogicalSlot(server);
                    Connection idle = server.superuserConnection()) {
                everyQueryRunsAsTheMonitorRole(server, major);
                dataDependentCompatibility(server, major);
                engineEmitsEveryExpectedFamily(server, major);
                strictProfilePassesPromtool(server, major);
            }
        }
    }

    /**
     * The engine, with every collector of the catalog on, as the monitoring role over its own pool:
     * every query succeeds in every database, and every family the reference expects on this major is
     * there with exactly its label names and type.
     */
    private static void engineEmitsEveryExpectedFamily(PgServer server, int major) {
        CollectionResult collection = collect(server, NamingProfile.COMPAT);
        assertThat(collection.up()).isTrue();
        assertThat(collection.failures()).as("failed queries").isEmpty();
        assertThat(collection.outcomes())
                .filteredOn(o -> o.status() == QueryOutcome.Status.SKIPPED)
                .allSatisfy(o -> assertThat(o.query()).isIn("pg_stat_wal_receiver"));
        // left out of the plan: what has no SQL for this version, and what runs on standbys only
        assertThat(collection.plan().orElseThrow().skipped())
                .extracting(s -> s.query())
                .allMatch(q -> q.name().equals("pg_stat_wal_receiver")
                        || q.variantFor(PgVersion.major(major)).isEmpty());
        Map<String, MetricFamily> families =
                collection.families().stream().collect(Collectors.toMap(MetricFamily::name, f -> f));
        List<String> problems = new ArrayList<>();
        for (ExpectedFamilies.Family f : EXPECTED.on(major)) {
            MetricFamily got = families.get(f.name());
            if (got == null) {
                if (!f.maybe()) {
                    problems.add(f.name() + " missing");
                }
                continue;
            }
            if (!got.type().text().equals(f.type())) {
                problems.add(f.name() + " is " + got.type().text() + ", expected " + f.type());
            }
            for (Sample sample : got.samples()) {
                Set<String> names = new TreeSet<>(sample.labels().asMap().keySet());
                names.remove("le");
                if (!names.equals(new TreeSet<>(f.labels()))) {
                    problems.add(f.name() + " has labels " + names + ", expected " + new TreeSet<>(f.labels()));
                    break;
                }
            }
        }
        assertThat(problems).isEmpty();
        // a histogram assembled from arrays: +Inf bucket = count, buckets cumulative
        for (Sample count : families.get("pg_process_idle_seconds").samples()) {
            if (count.suffix().equals("_count")) {
                double inf = families.get("pg_process_idle_seconds").samples().stream()
                        .filter(b -> b.suffix().equals("_bucket")
                                && "+Inf".equals(b.labels().asMap().get("le"))
                                && b.labels()
                                        .asMap()
                                        .get("state")
                                        .equals(count.labels().asMap().get("state"))
                                && b.labels()
                                        .asMap()
                                        .get("application_name")
                                        .equals(count.labels().asMap().get("application_name")))
                        .findFirst()
                        .orElseThrow()
                        .value();
                assertThat(inf).isEqualTo(count.value()).isPositive();
            }
        }
        // families named per row, with postgres_exporter's HELP
        MetricFamily sharedBuffers = families.get("pg_settings_shared_buffers_bytes");
        assertThat(sharedBuffers.help()).isEqualTo("Server Parameter: shared_buffers [Units converted to bytes.]");
        assertThat(sharedBuffers.samples().get(0).value()).isEqualTo(134217728.0);
        assertThat(families.get("pg_static").samples().get(0).labels().asMap().get("short_version"))
                .startsWith(major + ".");
        // database-scoped collectors cover every database, not only the DSN's
        assertThat(families.get("pg_stat_user_tables_seq_scan").samples())
                .extracting(smp -> smp.labels().asMap().get("datname"))
                .contains(Workload.APP_DB);
        assertThat(families.get("pg_invalid_indexes").samples())
                .extracting(smp -> smp.labels().asMap().get("datname"))
                .contains("postgres", Workload.APP_DB);
    }

    /** Every catalog family of the strict profile, as exposed, passes promtool's naming checks (when promtool is installed). */
    private static void strictProfilePassesPromtool(PgServer server, int major) throws Exception {
        CollectionResult collection = collect(server, NamingProfile.STRICT);
        assertThat(collection.failures()).as("failed queries").isEmpty();
        Set<String> strictNames = CATALOG.queries().stream()
                .flatMap(q -> CatalogMetric.of(q, NamingProfile.STRICT).stream())
                .map(CatalogMetric::name)
                .collect(Collectors.toSet());
        List<MetricFamily> ours = collection.families().stream()
                .filter(f -> strictNames.contains(f.name()) || f.name().startsWith("pg_settings_"))
                .toList();
        assertThat(ours).hasSizeGreaterThan(100);
        Optional<String> lint = Promtool.checkMetrics(TextFormat.toString(ours));
        lint.ifPresent(complaints -> assertThat(complaints)
                .as("promtool check metrics, PostgreSQL " + major)
                .isEmpty());
    }

    private static CollectionResult collect(PgServer server, NamingProfile profile) {
        try (PgMetrics metrics = PgMetrics.builder()
                .dsn(server.monitorDsn())
                .catalog(CATALOG)
                .profile(profile)
                .parameter("stat_statements.include_query", "true")
                .collectionTimeout(Duration.ofSeconds(60))
                .queryTimeout(Duration.ofSeconds(20))
                .build()) {
            return metrics.collect();
        }
    }

    private static void everyQueryRunsAsTheMonitorRole(PgServer server, int major) throws SQLException {
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (QueryDef q : CATALOG.queries()) {
            Optional<Variant> variant = q.variantFor(PgVersion.major(major));
            if (variant.isEmpty()) {
                continue;
            }
            List<String> databases =
                    q.scope() == Scope.DATABASE ? List.of("postgres", Workload.APP_DB) : List.of("postgres");
            for (String db : databases) {
                try (Connection c = MonitorSql.connect(server, db)) {
                    if (q.predicate().isPresent()) {
                        Object ok = MonitorSql.run(c, q.predicate().get())
                                .rows()
                                .get(0)
                                .values()
                                .iterator()
                                .next();
                        if (!Boolean.TRUE.equals(ok)) {
                            failures.add(q.name() + " in " + db + ": predicate is " + ok);
                            continue;
                        }
                    }
                    MonitorSql.Result r = MonitorSql.run(c, q, variant.get().sql(), Map.of());
                    List<String> missing = declaredColumns(q).stream()
                            .filter(col -> !r.columns().contains(col))
                            .toList();
                    if (!missing.isEmpty()) {
                        failures.add(q.name() + " in " + db + ": columns " + missing + " missing from " + r.columns());
                    }
                    ran++;
                } catch (SQLException e) {
                    failures.add(q.name() + " in " + db + ": " + e.getMessage());
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(ran).isGreaterThan(40);
    }

    private static List<String> declaredColumns(QueryDef q) {
        List<String> names = new ArrayList<>();
        for (ColumnDef c : q.columns()) {
            names.add(c.name());
            if (c.usage() == Usage.HISTOGRAM) {
                names.add(c.name() + "_bucket");
                names.add(c.name() + "_sum");
                names.add(c.name() + "_count");
            }
        }
        return names;
    }

    private static void dataDependentCompatibility(PgServer server, int major) throws SQLException {
        try (Connection c = MonitorSql.connect(server, "postgres");
                Connection app = MonitorSql.connect(server, Workload.APP_DB)) {
            long databases = (long) MonitorSql.run(c, "SELECT count(*) AS n FROM pg_database")
                    .rows()
                    .get(0)
                    .get("n");

            // 9 lock modes × every database, each pair once, zeros included
            var locks = run(c, "pg_locks", major, Map.of());
            assertThat(locks.rows()).hasSize((int) (9 * databases));
            assertThat(distinct(locks, "datname", "mode")).hasSize(locks.rows().size());

            // 6 states × every database with the other labels empty, and no group twice
            var activity = run(c, "pg_stat_activity", major, Map.of());
            List<String> labels = List.of(
                    "datname", "state", "usename", "application_name", "backend_type", "wait_event_type", "wait_event");
            assertThat(distinct(activity, labels.toArray(String[]::new)))
                    .hasSize(activity.rows().size());
            long zeroGrid = activity.rows().stream()
                    .filter(r -> r.get("usename").equals("")
                            && r.get("backend_type").equals("")
                            && !r.get("datname").equals(""))
                    .count();
            assertThat(zeroGrid).isEqualTo(6 * databases);

            // pg_settings: names, unit conversions, -1 kept, booleans
            var settings = run(c, "pg_settings", major, Map.of());
            Map<String, Double> value = settings.rows().stream()
                    .collect(Collectors.toMap(
                            r -> (String) r.get("parameter"), r -> ((Number) r.get("value")).doubleValue()));
            long sharedBuffers =
                    (long) MonitorSql.run(c, "SELECT pg_size_bytes(current_setting('shared_buffers')) AS b")
                            .rows()
                            .get(0)
                            .get("b");
            Map<String, Double> expected = Map.of(
                    "shared_buffers_bytes",
                    (double) sharedBuffers,
                    "max_connections",
                    40.0,
                    "full_page_writes",
                    1.0,
                    "checkpoint_timeout_seconds",
                    300.0,
                    "log_min_duration_statement_seconds",
                    -1.0,
                    "vacuum_cost_delay_seconds",
                    0.0,
                    "autovacuum_vacuum_cost_delay_seconds",
                    0.002,
                    "pg_stat_statements.max",
                    5000.0);
            expected.forEach((name, v) ->
                    assertThat(value.get(name)).as("pg_settings %s", name).isEqualTo(v));
            assertThat(value.keySet())
                    .as("enum settings are not numbers")
                    .doesNotContain("wal_level", "wal_level_bytes");
            assertThat(settings.rows())
                    .anyMatch(r -> r.get("parameter").equals("shared_buffers_bytes")
                            && r.get("description")
                                    .equals("Server Parameter: shared_buffers [Units converted to bytes.]"));
            var info = run(c, "pg_settings_info", major, Map.of());
            assertThat(info.rows())
                    .anyMatch(r -> r.get("name").equals("wal_level")
                            && r.get("setting").equals("logical"));
            assertThat(info.rows()).noneMatch(r -> ((String) r.get("name")).contains("conninfo"));

            // pg_stat_statements: top N, exclusions, no (user, datname, queryid) twice
            var top = run(c, "pg_stat_statements", major, params("limit", "3"));
            assertThat(top.rows()).hasSizeBetween(1, 3);
            var all = run(c, "pg_stat_statements", major, params("limit", "100000"));
            assertThat(distinct(all, "user", "datname", "queryid"))
                    .hasSize(all.rows().size());
            assertThat(run(c, "pg_stat_statements", major, params("exclude_users", "postgres, pgm_monitor"))
                            .rows())
                    .isEmpty();
            assertThat(run(c, "pg_stat_statements", major, params("exclude_databases", "appdb"))
                            .rows())
                    .noneMatch(r -> r.get("datname").equals(Workload.APP_DB));
            assertThat(run(c, "pg_stat_statements_query", major, Map.of()).rows())
                    .isEmpty();
            var texts = run(
                    c,
                    "pg_stat_statements_query",
                    major,
                    params("include_query", "true", "query_length", "20", "limit", "5"));
            assertThat(texts.rows()).isNotEmpty().allMatch(r -> ((String) r.get("query")).length() <= 20);

            // what the workload left behind
            assertThat(run(app, "pg_invalid_indexes", major, Map.of())
                            .rows()
                            .get(0)
                            .get("invalid"))
                    .isEqualTo(1L);
            assertThat(run(app, "pg_invalid_index", major, Map.of()).rows())
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("indexrelname")).isEqualTo("dups_x"));
            var tables = run(app, "pg_stat_user_tables", major, Map.of());
            assertThat(tables.rows())
                    .filteredOn(r -> r.get("relname").equals("items"))
                    .hasSize(2)
                    .allMatch(r -> ((Number) r.get("table_size_bytes")).longValue() > 0);
            assertThat(run(app, "pg_stat_user_tables", major, params("limit", "1"))
                            .rows())
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("schemaname")).isEqualTo("public"));
            assertThat(run(c, "pg_replication_slots", major, Map.of()).rows()).hasSize(2);
            assertThat(run(c, "pg_replication_slots_slot", major, Map.of()).rows())
                    .allMatch(r -> r.get("safe_wal_size") != null)
                    .anyMatch(r -> r.get("slot_name").equals("pgm_logical") && r.get("confirmed_flush_lsn") != null);
            assertThat(run(c, "pg_stat_replication", major, Map.of()).rows())
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.get("slot_name")).isEqualTo("pgm_logical");
                        assertThat(r.get("application_name")).isEqualTo("pgm_stream");
                        assertThat(r.get("pg_wal_lsn_diff")).isNotNull();
                    });
            assertThat(run(c, "pg_stat_subscription", major, Map.of()).rows())
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("workers")).isEqualTo(0L));
            assertThat(((Number) run(c, "pg_wal", major, Map.of()).rows().get(0).get("segments")).longValue())
                    .isPositive();
            String semver =
                    (String) run(c, "pg_static", major, Map.of()).rows().get(0).get("short_version");
            assertThat(semver).matches(major + "\\.\\d+\\.0");
        }
    }

    /** Runs the variant of a query for this major (the first definition of that name that has one). */
    private static MonitorSql.Result run(Connection c, String name, int major, Map<String, String> overrides)
            throws SQLException {
        QueryDef q = CATALOG.queries().stream()
                .filter(d -> d.name().equals(name)
                        && d.variantFor(PgVersion.major(major)).isPresent())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no query " + name + " for PostgreSQL " + major));
        return MonitorSql.run(c, q, q.variantFor(PgVersion.major(major)).get().sql(), overrides);
    }

    private static Set<List<Object>> distinct(MonitorSql.Result r, String... columns) {
        Set<List<Object>> keys = new HashSet<>();
        for (Map<String, Object> row : r.rows()) {
            List<Object> key = new ArrayList<>();
            for (String col : columns) {
                key.add(row.get(col));
            }
            keys.add(key);
        }
        return keys;
    }
}
