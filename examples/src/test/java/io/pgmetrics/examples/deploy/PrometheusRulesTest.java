package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prometheus/: the alert rules, their unit tests and the example configurations, through promtool. */
class PrometheusRulesTest {

    private static final Path PROMETHEUS = DeployAssets.path("prometheus");

    static List<JsonNode> rules() {
        JsonNode file =
                DeployAssets.yamlDocuments(PROMETHEUS.resolve("alerts.yml")).get(0);
        List<JsonNode> rules = new ArrayList<>();
        file.path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        assertThat(rules).as("rules in alerts.yml").isNotEmpty();
        return rules;
    }

    private static Set<String> alertNames() {
        Set<String> names = new TreeSet<>();
        for (JsonNode rule : rules()) {
            assertThat(names.add(rule.path("alert").asText()))
                    .as("alert name %s unique", rule.path("alert"))
                    .isTrue();
        }
        return names;
    }

    @Test
    void everyAlertHasASeverityASummaryAndADescription() {
        for (JsonNode rule : rules()) {
            String name = rule.path("alert").asText();
            assertThat(name).as("every rule is an alert").isNotBlank();
            assertThat(rule.path("labels").path("severity").asText())
                    .as("severity of %s", name)
                    .isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText())
                    .as("summary of %s", name)
                    .isNotBlank();
            assertThat(rule.path("annotations").path("description").asText())
                    .as("description of %s", name)
                    .isNotBlank();
        }
    }

    @Test
    void coversEveryTopicOfTheIssue() {
        assertThat(alertNames())
                .contains(
                        "PostgresExporterDown",
                        "PostgresDown",
                        "PostgresExporterCollectorFailing",
                        "PostgresConnectionsHigh",
                        "PostgresReplicationLagHigh",
                        "PostgresReplicationNotStreaming",
                        "PostgresInactiveReplicationSlot",
                        "PostgresWalGrowing",
                        "PostgresDatabaseGrowingFast",
                        "PostgresTxidWraparoundApproaching",
                        "PostgresDeadlocks",
                        "PostgresLongRunningTransaction",
                        "PostgresIdleInTransaction",
                        "PostgresChecksumFailures",
                        "PostgresArchivingFailing");
    }

    /** Each alert has a case where it must fire and a case where it must stay silent; no test names a missing alert. */
    @Test
    void unitTestsAssertEveryAlertBothWays() {
        JsonNode tests = DeployAssets.yamlDocuments(PROMETHEUS.resolve("alerts.test.yml"))
                .get(0);
        assertThat(tests.path("rule_files").get(0).asText()).isEqualTo("alerts.yml");
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        Set<String> mentioned = new TreeSet<>();
        for (JsonNode group : tests.path("tests")) {
            for (JsonNode check : group.path("alert_rule_test")) {
                String name = check.path("alertname").asText();
                mentioned.add(name);
                (check.path("exp_alerts").isEmpty() ? silent : fires).add(name);
            }
        }
        Set<String> alerts = alertNames();
        assertThat(mentioned).as("alerts named in alerts.test.yml").isSubsetOf(alerts);
        assertThat(fires).as("alerts with a firing case").containsAll(alerts);
        assertThat(silent).as("alerts with a silent case").containsAll(alerts);
    }

    @Test
    void promtoolAcceptsTheRules() {
        var run = DeployAssets.run(PROMETHEUS, List.of(promtool(), "check", "rules", "alerts.yml"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + rules().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsPass() {
        var run = DeployAssets.run(PROMETHEUS, List.of(promtool(), "test", "rules", "alerts.test.yml"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void promtoolAcceptsTheExampleConfiguration() {
        var run = DeployAssets.run(PROMETHEUS, List.of(promtool(), "check", "config", "prometheus.yml"));
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    /**
     * The Kubernetes scrape job. Debian's promtool is built without Kubernetes service discovery, so
     * the discovery block is swapped for a static target; everything else (intervals, relabeling) is
     * checked as written.
     */
    @Test
    void promtoolAcceptsTheKubernetesScrapeJob(@TempDir Path tmp) throws IOException {
        JsonNode config = DeployAssets.yamlDocuments(
                        DeployAssets.path("kubernetes/monitoring/prometheus-scrape-job.yaml"))
                .get(0);
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("kubernetes_sd_configs").get(0).path("role").asText())
                    .isEqualTo("endpoints");
            ObjectNode o = (ObjectNode) job;
            o.remove("kubernetes_sd_configs");
            o.putArray("static_configs").addObject().putArray("targets").add("localhost:" + ExporterInterface.PORT);
        }
        Path file = tmp.resolve("scrape-job.yml");
        DeployAssets.YAML.writeValue(file.toFile(), config);
        var run = DeployAssets.run(tmp, List.of(promtool(), "check", "config", file.toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    static String promtool() {
        var promtool = DeployAssets.executable("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not installed (Debian package prometheus; .ci/run installs it)");
        return promtool.get().toString();
    }
}
