package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** prometheus/fleet.yml and kubernetes/fleet/: a fleet spread over the exporter replicas by hashmod. */
class FleetShardingTest {

    private static final Path CONFIG = DeployAssets.path("prometheus/fleet.yml");

    private static JsonNode probeJob() {
        JsonNode config = DeployAssets.yamlDocuments(CONFIG).get(0);
        for (JsonNode job : config.path("scrape_configs")) {
            if (job.path("metrics_path").asText().equals("/probe")) {
                return job;
            }
        }
        throw new AssertionError("no /probe job in " + CONFIG);
    }

    private static JsonNode statefulSet() {
        return DeployAssets.yamlDocuments(DeployAssets.path("kubernetes/fleet/statefulset.yaml")).stream()
                .filter(d -> d.path("kind").asText().equals("StatefulSet"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void promtoolAcceptsTheFleetConfiguration() {
        var run = DeployAssets.run(
                CONFIG.getParent(), List.of(PrometheusRulesTest.promtool(), "check", "config", "fleet.yml"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    /** Every shard of the hashmod goes to one replica of the StatefulSet, and every replica gets a shard. */
    @Test
    void everyShardHasItsReplica() {
        JsonNode job = probeJob();
        int modulus = -1;
        List<String> replicas = new ArrayList<>();
        for (JsonNode rule : job.path("relabel_configs")) {
            if (rule.path("action").asText().equals("hashmod")) {
                modulus = rule.path("modulus").asInt();
            } else if (rule.path("target_label").asText().equals("__address__")) {
                assertThat(rule.path("regex").asText()).isEqualTo(String.valueOf(replicas.size()));
                replicas.add(rule.path("replacement").asText());
            }
        }
        JsonNode sts = statefulSet();
        String name = sts.path("metadata").path("name").asText();
        String service = sts.path("spec").path("serviceName").asText();
        assertThat(modulus)
                .as("hashmod modulus")
                .isEqualTo(sts.path("spec").path("replicas").asInt());
        for (int i = 0; i < modulus; i++) {
            assertThat(replicas.get(i))
                    .startsWith(name + "-" + i + "." + service + ".")
                    .endsWith(":" + ExporterInterface.PORT);
        }
        assertThat(replicas).hasSize(modulus);
        assertThat(job.path("params").path("auth_module").get(0).asText()).isEqualTo("fleet");
    }

    /** The module's password only goes to the hosts it names (the exporter refuses a module without them). */
    @Test
    void theFleetsAuthModuleNamesTheHostsItMayReach() {
        JsonNode configMap = DeployAssets.yamlDocuments(DeployAssets.path("kubernetes/fleet/configmap.yaml"))
                .get(0);
        JsonNode modules = DeployAssets.yaml(
                configMap.path("data").path("postgres_exporter.yml").asText());
        JsonNode allowed = modules.path("auth_modules").path("fleet").path("allowed_targets");
        assertThat(allowed.isArray() && !allowed.isEmpty())
                .as("auth_modules.fleet.allowed_targets")
                .isTrue();
        JsonNode example = DeployAssets.json(CONFIG.getParent().resolve("fleet/example.json"));
        String suffix = allowed.get(0).asText().replace("*", "");
        example.get(0)
                .path("targets")
                .forEach(t -> assertThat(t.asText().split(":")[0]).endsWith(suffix));
    }
}
