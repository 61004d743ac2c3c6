package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrafanaDashboardTest {

    private static final JsonNode DASHBOARD = DeployAssets.json(DeployAssets.path("grafana/pgmetrics-dashboard.json"));

    @Test
    void hasTheSectionsUsersLookFor() {
        List<String> rows = new ArrayList<>();
        DASHBOARD.path("panels").forEach(p -> {
            if (p.path("type").asText().equals("row")) {
                rows.add(p.path("title").asText());
            }
        });
        assertThat(rows)
                .containsExactly(
                        "Overview", "Connections", "Transactions", "I/O", "Replication", "WAL", "Tables", "Statements");
        assertThat(DASHBOARD.path("uid").asText()).isNotBlank();
    }

    @Test
    void panelsHaveUniqueIdsTheDatasourceVariableAndDoNotOverlap() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : DASHBOARD.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("id of %s unique", title)
                    .isTrue();
            JsonNode pos = panel.path("gridPos");
            int x = pos.path("x").asInt(),
                    y = pos.path("y").asInt(),
                    w = pos.path("w").asInt(),
                    h = pos.path("h").asInt();
            assertThat(x + w).as("%s fits in 24 columns", title).isLessThanOrEqualTo(24);
            assertThat(w).as("width of %s", title).isPositive();
            assertThat(h).as("height of %s", title).isPositive();
            for (int[] other : boxes) {
                boolean overlap =
                        x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                assertThat(overlap).as("%s overlaps another panel", title).isFalse();
            }
            boxes.add(new int[] {x, y, w, h});
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText())
                        .as("datasource of %s", title)
                        .isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
            }
        }
    }

    /** Every expression parses as PromQL: promtool checks them as recording rules (variables filled in). */
    @Test
    void everyExpressionIsValidPromQl(@TempDir Path tmp) throws IOException {
        String promtool = PrometheusRulesTest.promtool();
        ObjectNode file = DeployAssets.YAML.createObjectNode();
        ObjectNode group = file.putArray("groups").addObject().put("name", "dashboard");
        ArrayNode rules = group.putArray("rules");
        int n = 0;
        for (var query : MetricNamesTest.dashboardQueries()) {
            if (query.variable()) {
                continue;
            }
            String expr = query.expression().replace("$__rate_interval", "5m").replaceAll("\\$\\{?\\w+}?", "x");
            rules.addObject().put("record", "dashboard:expression_" + n++).put("expr", expr);
        }
        Path rulesFile = tmp.resolve("dashboard-rules.yml");
        DeployAssets.YAML.writeValue(rulesFile.toFile(), file);
        var run = DeployAssets.run(tmp, List.of(promtool, "check", "rules", rulesFile.toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + n + " rules found");
    }
}
