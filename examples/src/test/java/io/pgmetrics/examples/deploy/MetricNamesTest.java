package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every metric the alert rules and the dashboard read is one the exporter emits. */
class MetricNamesTest {

    /** The catalog's generated reference. */
    static final KnownMetricNames REFERENCE =
            KnownMetricNames.fromMetricsReference(DeployAssets.repositoryRoot().resolve("docs/metrics.md"));

    /**
     * Self-metrics the assets read. docs/metrics.md lists the catalog's families only and says in its
     * introduction that the engine adds pg_up, pg_scrape_collector_* and pgmetrics_* (and the exporter
     * pg_exporter_*), without naming them one by one. PrometheusEndToEndTest sees them served.
     */
    static final Map<String, String> SELF_METRICS = Map.of(
            "pg_up", "engine: the connection check of every scrape",
            "pg_scrape_collector_success", "engine: per collector, 1 when all its queries succeeded",
            "pg_scrape_collector_duration_seconds", "engine: per collector, time spent",
            "pgmetrics_query_success", "engine: per query, 1 when it succeeded",
            "pgmetrics_query_errors_total", "engine: per query, failures counted");

    /**
     * Settings the assets read. The reference has one pattern row for them (pg_settings_<parameter>,
     * with _bytes or _seconds appended when converted): which settings exist depends on the server.
     * PrometheusEndToEndTest sees them served.
     */
    static final Map<String, String> SETTINGS = Map.of(
            "pg_settings_max_connections", "setting max_connections",
            "pg_settings_superuser_reserved_connections", "setting superuser_reserved_connections",
            "pg_settings_max_wal_size_bytes", "setting max_wal_size, MB converted to bytes",
            "pg_settings_wal_keep_size_bytes", "setting wal_keep_size (PostgreSQL 13+), MB converted to bytes");

    /** The names the exporter emits: the reference, and the two lists above that it leaves out. */
    static final KnownMetricNames CATALOG = REFERENCE.plus(SELF_METRICS).plus(SETTINGS);

    @Test
    void alertRulesReadOnlyKnownMetrics() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : PrometheusRulesTest.rules()) {
            Set<String> names = PromQl.metricNames(rule.path("expr").asText());
            assertThat(names)
                    .as("metrics read by alert %s", rule.path("alert").asText())
                    .isNotEmpty();
            used.addAll(names);
            names.stream()
                    .filter(n -> !CATALOG.contains(n))
                    .forEach(n -> unknown.computeIfAbsent(n, k -> new TreeSet<>())
                            .add(rule.path("alert").asText()));
        }
        assertThat(unknown)
                .as("metric names in prometheus/alerts.yml unknown to %s (name -> alerts)", CATALOG.source())
                .isEmpty();
        assertThat(used).contains("pg_up", "pg_stat_database_numbackends", "pg_replication_slots_pg_wal_lsn_diff");
    }

    @Test
    void dashboardReadsOnlyKnownMetrics() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        Set<String> used = new TreeSet<>();
        for (var query : dashboardQueries()) {
            Set<String> names = query.variable()
                    ? PromQl.metricNamesOfVariableQuery(query.expression())
                    : PromQl.metricNames(query.expression());
            assertThat(names).as("metrics read by %s", query.where()).isNotEmpty();
            used.addAll(names);
            names.stream()
                    .filter(n -> !CATALOG.contains(n))
                    .forEach(n ->
                            unknown.computeIfAbsent(n, k -> new TreeSet<>()).add(query.where()));
        }
        assertThat(unknown)
                .as("metric names in the dashboard unknown to %s (name -> panels)", CATALOG.source())
                .isEmpty();
        assertThat(used).contains("pg_up", "pg_stat_statements_seconds_total", "pg_wal_size_bytes");
    }

    @Test
    void theCheckCatchesAMisspeltName() {
        assertThat(CATALOG.contains("pg_stat_database_xact_commit")).isTrue();
        assertThat(CATALOG.contains("pg_stat_database_xact_commits")).isFalse();
        assertThat(CATALOG.contains("pg_stat_database_xact_commit_total"))
                .as("strict profile only")
                .isFalse();
        assertThat(CATALOG.contains("pg_process_idle_seconds_bucket"))
                .as("a histogram's series")
                .isTrue();
        assertThat(CATALOG.contains("pg_process_idle_seconds"))
                .as("a histogram has no plain series")
                .isFalse();
        assertThat(CATALOG.contains("pg_database"))
                .as("a query name, not a metric")
                .isFalse();
        assertThat(CATALOG.contains("pg_settings_max_conections")).isFalse();
        assertThat(CATALOG.contains("up"))
                .as("Prometheus adds up to every target")
                .isTrue();
    }

    @Test
    void theTestsOwnNamesAreTheOnesTheReferenceLeavesOut() {
        assertThat(REFERENCE.patterns()).contains("pg_settings_<parameter>");
        String introduction = DeployAssets.read(DeployAssets.repositoryRoot().resolve("docs/metrics.md"));
        for (String name : SELF_METRICS.keySet()) {
            assertThat(REFERENCE.names())
                    .as("%s is in the reference now: drop it from SELF_METRICS", name)
                    .doesNotContain(name);
            String family = name.equals("pg_up")
                    ? "`pg_up`"
                    : name.startsWith("pg_scrape_collector_") ? "`pg_scrape_collector_*`" : "`pgmetrics_*`";
            assertThat(name).startsWith(family.replace("`", "").replace("*", ""));
            assertThat(introduction)
                    .as("the reference says the engine adds %s", family)
                    .contains(family);
        }
        for (String name : SETTINGS.keySet()) {
            assertThat(REFERENCE.names())
                    .as("%s is in the reference now: drop it from SETTINGS", name)
                    .doesNotContain(name);
            assertThat(REFERENCE.matchesPattern(name))
                    .as("%s fits a pattern row of the reference", name)
                    .isTrue();
        }
        assertThat(REFERENCE.matchesPattern("pg_stat_database_xact_commit")).isFalse();
    }

    record DashboardQuery(String where, String expression, boolean variable) {}

    /** Every PromQL expression of the dashboard: panel targets (rows included) and variable queries. */
    static List<DashboardQuery> dashboardQueries() {
        JsonNode dashboard = DeployAssets.json(DeployAssets.path("grafana/pgmetrics-dashboard.json"));
        List<DashboardQuery> queries = new ArrayList<>();
        collectPanels(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode q = variable.path("query");
                String text = q.isObject() ? q.path("query").asText() : q.asText();
                queries.add(
                        new DashboardQuery("variable " + variable.path("name").asText(), text, true));
            }
        }
        assertThat(queries).as("dashboard expressions").hasSizeGreaterThan(20);
        return queries;
    }

    private static void collectPanels(JsonNode panels, List<DashboardQuery> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    out.add(new DashboardQuery("panel \"" + panel.path("title").asText() + "\"", expr, false));
                }
            }
            collectPanels(panel.path("panels"), out);
        }
    }
}
