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

    /**
     * The names the catalog emits. Once the catalog's generated reference exists, replace this line
     * with: KnownMetricNames.fromMetricsReference(DeployAssets.repositoryRoot().resolve("docs/metrics.md"))
     */
    static final KnownMetricNames CATALOG = KnownMetricNames.fromNameList("/deploy/known-metric-names.txt");

    @Test
    void alertRulesReadOnlyKnownMetrics() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : PrometheusRulesTest.rules()) {
            Set<String> names = PromQl.metricNames(rule.path("expr").asText());
            assertThat(names).as("metrics read by alert %s", rule.path("alert").asText()).isNotEmpty();
            used.addAll(names);
            names.stream().filter(n -> !CATALOG.contains(n))
                    .forEach(n -> unknown.computeIfAbsent(n, k -> new TreeSet<>()).add(rule.path("alert").asText()));
        }
        assertThat(unknown).as("metric names in prometheus/alerts.yml unknown to %s (name -> alerts)", CATALOG.source()).isEmpty();
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
            names.stream().filter(n -> !CATALOG.contains(n))
                    .forEach(n -> unknown.computeIfAbsent(n, k -> new TreeSet<>()).add(query.where()));
        }
        assertThat(unknown).as("metric names in the dashboard unknown to %s (name -> panels)", CATALOG.source()).isEmpty();
        assertThat(used).contains("pg_up", "pg_stat_statements_seconds_total", "pg_wal_size_bytes");
    }

    @Test
    void theCheckCatchesAMisspeltName() {
        assertThat(CATALOG.contains("pg_stat_database_xact_commit")).isTrue();
        assertThat(CATALOG.contains("pg_stat_database_xact_commits")).isFalse();
        assertThat(CATALOG.contains("up")).as("Prometheus adds up to every target").isTrue();
    }

    record DashboardQuery(String where, String expression, boolean variable) {
    }

    /** Every PromQL expression of the dashboard: panel targets (rows included) and variable queries. */
    static List<DashboardQuery> dashboardQueries() {
        JsonNode dashboard = DeployAssets.json(DeployAssets.path("grafana/pgmetrics-dashboard.json"));
        List<DashboardQuery> queries = new ArrayList<>();
        collectPanels(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode q = variable.path("query");
                String text = q.isObject() ? q.path("query").asText() : q.asText();
                queries.add(new DashboardQuery("variable " + variable.path("name").asText(), text, true));
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
