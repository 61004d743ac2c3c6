package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's prometheus package) scrapes our exporter over an embedded
 * PostgreSQL, with prometheus/alerts.yml loaded as its rule file. Skips where the binary is absent
 * (.ci/run installs it).
 */
class PrometheusEndToEndTest {

    private static final String JOB = "postgres";
    /** Long enough for a slow first scrape and rule evaluation; the test usually takes about 10 s. */
    private static final Duration PATIENCE = Duration.ofSeconds(25);

    private int promPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void prometheusScrapesTheExporterAndEvaluatesTheAlertRules(@TempDir Path dir) throws Exception {
        Optional<Path> binary = DeployAssets.executable("prometheus");
        assumeTrue(binary.isPresent(), "prometheus is not installed (apt-get install prometheus)");
        DeployAssets.ToolRun version =
                DeployAssets.run(dir, List.of(binary.get().toString(), "--version"));
        System.out.println("PrometheusEndToEndTest: " + binary.get() + ": "
                + version.output().lines().findFirst().orElse("?"));

        try (PgServer pg = PgServer.start(PgServer.defaultMajor());
                Exporter exporter = Exporter.start(ExporterConfig.builder()
                        .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                        .target(pg.monitorDsn())
                        // the collectors every deploy example turns on, as the alerts and the dashboard need them
                        .collectors(Map.of("database_wraparound", true, "postmaster", true))
                        .build())) {
            AtomicBoolean workload = new AtomicBoolean(true);
            Thread commits = startCommitting(pg, workload);
            promPort = Http.freePort();
            Process prometheus = new ProcessBuilder(
                            binary.get().toString(),
                            "--config.file=" + writeConfig(dir, exporter.port()),
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            try {
                checkScrapesAndRules("http://127.0.0.1:" + promPort, prometheus, dir);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                workload.set(false);
                commits.join(2000);
            }
        }
    }

    private void checkScrapesAndRules(String base, Process prometheus, Path dir) throws Exception {
        await("Prometheus ready", () -> status(base + "/-/ready") == 200, prometheus, dir);

        await(
                "up{job=\"postgres\"} == 1",
                () -> value(base, "up{job=\"" + JOB + "\"}").filter(v -> v == 1).isPresent(),
                prometheus,
                dir);
        assertThat(value(base, "pg_up{job=\"" + JOB + "\"}")).as("pg_up").contains(1.0);
        // the exporter's own queries commit about 1.5 transactions a second; more is the workload
        String rate = "rate(pg_stat_database_xact_commit{job=\"" + JOB + "\",datname=\"postgres\"}[30s])";
        await(rate + " > 5", () -> value(base, rate).filter(v -> v > 5).isPresent(), prometheus, dir);
        System.out.println(
                "PrometheusEndToEndTest: " + rate + " = " + value(base, rate).orElseThrow());
        // as pg_monitor every collector works; a single slow scrape may still cut one short
        assertThat(vector(base, "max_over_time(pg_scrape_collector_success[1m]) == 0"))
                .as("collectors that never succeeded")
                .isEmpty();

        Set<String> served = new TreeSet<>();
        query(base + "/api/v1/label/__name__/values").path("data").forEach(n -> served.add(n.asText()));
        assertThat(served)
                .as("names MetricNamesTest takes on trust from its own lists")
                .containsAll(MetricNamesTest.SELF_METRICS.keySet())
                .containsAll(MetricNamesTest.SETTINGS.keySet());

        int ruleCount = PrometheusRulesTest.rules().size();
        await(
                "every alert rule evaluated",
                () -> {
                    List<JsonNode> rules = rules(base);
                    return rules.size() == ruleCount
                            && rules.stream()
                                    .noneMatch(r -> r.path("health").asText().equals("unknown"));
                },
                prometheus,
                dir);
        assertThat(rules(base)).hasSize(ruleCount).allSatisfy(r -> {
            assertThat(r.path("type").asText()).isEqualTo("alerting");
            assertThat(r.path("health").asText())
                    .as(
                            "health of %s: %s",
                            r.path("name").asText(), r.path("lastError").asText())
                    .isEqualTo("ok");
        });
        System.out.println(
                "PrometheusEndToEndTest: " + ruleCount + " alert rules of alerts.yml loaded and evaluated, health ok");

        // A healthy server raises no alert, not even a pending one. Exception: one scrape cut short on
        // a busy machine makes PostgresExporterCollectorFailing pending for a moment (collectors that
        // never succeed are caught above).
        List<String> alerts = new ArrayList<>();
        query(base + "/api/v1/alerts")
                .path("data")
                .path("alerts")
                .forEach(a -> alerts.add(a.path("labels").path("alertname").asText() + " ("
                        + a.path("state").asText() + ")"));
        assertThat(alerts)
                .as("alerts on a healthy server")
                .allMatch(a -> a.equals("PostgresExporterCollectorFailing (pending)"));
    }

    /** Scrape every 2 s and evaluate every second; alerts.yml by absolute path, as shipped. */
    private static Path writeConfig(Path dir, int exporterPort) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 2s",
                        // the exporter fits its queries into this (X-Prometheus-Scrape-Timeout-Seconds); 1 s is
                        // too tight for a cold JVM on a shared CI machine
                        "  scrape_timeout: 2s",
                        "  evaluation_interval: 1s",
                        "rule_files:",
                        "  - " + DeployAssets.path("prometheus/alerts.yml"),
                        "scrape_configs:",
                        "  - job_name: " + JOB,
                        "    static_configs:",
                        "      - targets: ['127.0.0.1:" + exporterPort + "']",
                        ""),
                StandardCharsets.UTF_8);
        return config;
    }

    /**
     * About 50 small committed transactions a second in database postgres. They write a row: a
     * backend that touched no table may hold its commit count back from the statistics for a while.
     */
    private static Thread startCommitting(PgServer pg, AtomicBoolean running) {
        pg.superuserSql("CREATE TABLE e2e_commits (at timestamptz NOT NULL)");
        Thread t = new Thread(
                () -> {
                    try (Connection c = pg.superuserConnection("postgres");
                            Statement s = c.createStatement()) {
                        while (running.get()) {
                            s.execute("INSERT INTO e2e_commits VALUES (now())");
                            Thread.sleep(20);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        System.err.println("PrometheusEndToEndTest: workload stopped: " + e);
                    }
                },
                "e2e-workload");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until the check holds; on timeout fails with Prometheus's log, which says why. */
    private void await(String what, Check check, Process prometheus, Path dir) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited with " + prometheus.exitValue() + ":\n" + log(dir));
            }
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + PATIENCE.toSeconds() + " s waiting for " + what
                + "; scrape targets: " + targets("http://127.0.0.1:" + promPort) + "\nprometheus log:\n" + log(dir));
    }

    /** Prometheus's view of its targets (health, last error), for failure messages. */
    private String targets(String base) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/targets"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException | RuntimeException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static String log(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private int status(String url) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private JsonNode query(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = DeployAssets.JSON.readTree(r.body());
        assertThat(body.path("status").asText())
                .as("%s answered %s", url, r.body())
                .isEqualTo("success");
        return body;
    }

    /** The samples of an instant query's vector result. */
    private List<JsonNode> vector(String base, String promql) throws IOException, InterruptedException {
        JsonNode data = query(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("data");
        assertThat(data.path("resultType").asText()).isEqualTo("vector");
        List<JsonNode> samples = new ArrayList<>();
        data.path("result").forEach(samples::add);
        return samples;
    }

    /** The value of an instant query that selects one series, if it has one. */
    private Optional<Double> value(String base, String promql) throws IOException, InterruptedException {
        List<JsonNode> samples = vector(base, promql);
        assertThat(samples).as("series of %s", promql).hasSizeLessThanOrEqualTo(1);
        return samples.stream()
                .map(s -> Double.parseDouble(s.path("value").get(1).asText()))
                .findFirst();
    }

    private List<JsonNode> rules(String base) throws IOException, InterruptedException {
        List<JsonNode> rules = new ArrayList<>();
        query(base + "/api/v1/rules")
                .path("data")
                .path("groups")
                .forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }
}
