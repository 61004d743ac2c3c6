package io.pgmetrics.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A fleet through /probe: a real Prometheus discovers N embedded PostgreSQL servers through file_sd and
 * scrapes them via /probe of two exporter replicas, sharded by hashmod as examples/deploy/prometheus/fleet.yml
 * does. Prints whether every target is up, which replica holds which connections, whether steady-state
 * scrapes open connections, scrape durations and each replica's memory. A program, not a test.
 *
 * <p>{@code java -jar bench/target/pgmetrics-bench.jar fleet [--servers=50] [--pg=15] [--steady-seconds=60]}
 */
final class FleetBench {

    private static final String ROLE = "fleet";
    private static final int REPLICAS = 2;
    private static final int SCRAPE_SECONDS = 5;
    private static final String DURATION = "scrape_duration_seconds{job=\"fleet\"}";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FleetBench() {}

    static void main(String[] args) throws Exception {
        int servers = 50;
        int pg = 15;
        int steadySeconds = 60;
        for (String a : args) {
            String v = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--servers=")) {
                servers = Integer.parseInt(v);
            } else if (a.startsWith("--pg=")) {
                pg = Integer.parseInt(v);
            } else if (a.startsWith("--steady-seconds=")) {
                steadySeconds = Integer.parseInt(v);
            } else {
                throw new IllegalArgumentException(
                        "unknown argument " + a + "; known: --servers=N --pg=MAJOR --steady-seconds=N");
            }
        }
        Path work = Path.of("bench/target/fleet").toAbsolutePath();
        Files.createDirectories(work);
        List<BenchServer> fleet = new ArrayList<>();
        List<ExporterProcess> replicas = new ArrayList<>();
        Process prometheus = null;
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < servers; i++) {
                BenchServer s = BenchServer.start(
                        pg, BenchServer.binariesDirectory(), work.resolve("pg" + i), 20, BenchServer.Auth.SCRAM);
                s.createMonitorRole(ROLE);
                fleet.add(s);
            }
            Bench.log(servers + " PostgreSQL " + pg + " servers in " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
            Path modules =
                    Files.writeString(work.resolve("postgres_exporter.yml"), """
                    auth_modules:
                      fleet:
                        type: userpass
                        userpass: {username: %s, password: %s}
                        options: {sslmode: disable}
                        allowed_targets: [127.0.0.1]
                    """.formatted(ROLE, BenchServer.PASSWORD));
            for (int r = 0; r < REPLICAS; r++) {
                replicas.add(startReplica(r, modules, work));
            }
            prometheus = startPrometheus(fleet, replicas, work);
            int prometheusPort = Integer.parseInt(
                    Files.readString(work.resolve("prometheus.port")).strip());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            double up = 0;
            while (System.nanoTime() < deadline && up < servers) {
                Thread.sleep(2000);
                up = first(query(prometheusPort, "count(pg_up{job=\"fleet\"} == 1)"));
                up = Double.isNaN(up) ? 0 : up;
            }
            Bench.log("targets with pg_up 1: " + (int) up + " of " + servers);
            Thread.sleep(3L * SCRAPE_SECONDS * 1000); // a few more rounds: every target warm

            Map<Integer, Set<Integer>> before = sessions(fleet);
            Bench.log("steady state: watching sessions for " + steadySeconds + " s");
            Thread.sleep(steadySeconds * 1000L);
            Map<Integer, Set<Integer>> after = sessions(fleet);
            int opened = 0;
            for (var e : after.entrySet()) {
                Set<Integer> fresh = new HashSet<>(e.getValue());
                fresh.removeAll(before.getOrDefault(e.getKey(), Set.of()));
                opened += fresh.size();
            }

            StringBuilder out = new StringBuilder();
            out.append(String.format(
                    "servers: %d (PostgreSQL %d), replicas: %d, scrape interval %d s, " + "steady window %d s%n",
                    servers, pg, REPLICAS, SCRAPE_SECONDS, steadySeconds));
            out.append(String.format(
                    "targets with pg_up 1: %.0f of %d; up 1: %.0f%n",
                    up, servers, first(query(prometheusPort, "count(up{job=\"fleet\"} == 1)"))));
            out.append(String.format(
                    "scrape duration per target over the last minute: avg %.1f ms, max %.1f ms%n",
                    1000 * first(query(prometheusPort, "avg(avg_over_time(" + DURATION + "[1m]))")),
                    1000 * first(query(prometheusPort, "max(max_over_time(" + DURATION + "[1m]))"))));
            out.append(String.format("server sessions opened by the fleet during the steady window: %d%n", opened));
            Map<String, Double> shares = query(prometheusPort, "count by (exporter_shard) (up{job=\"fleet\"})");
            Set<Integer> serverPorts = fleet.stream().map(BenchServer::port).collect(Collectors.toSet());
            out.append("| replica | targets (Prometheus) | kept targets | pgmetrics_probe_connections"
                    + " | TCP connections to the fleet | servers it is connected to | RSS MiB |\n"
                    + "|---|---|---|---|---|---|---|\n");
            Set<Integer> seen = new HashSet<>();
            boolean overlap = false;
            for (int r = 0; r < REPLICAS; r++) {
                ExporterProcess p = replicas.get(r);
                String self = get(URI.create("http://127.0.0.1:" + p.port + "/metrics"));
                Map<Integer, Integer> conns = connections(p.pid(), serverPorts);
                for (int port : conns.keySet()) {
                    overlap |= !seen.add(port);
                }
                out.append(String.format(
                        "| %d | %.0f | %.0f | %.0f | %d | %d | %.0f |%n",
                        r,
                        shares.getOrDefault("exporter_shard=" + r, 0.0),
                        metric(self, "pgmetrics_probe_targets"),
                        metric(self, "pgmetrics_probe_connections"),
                        conns.values().stream().mapToInt(Integer::intValue).sum(),
                        conns.size(),
                        p.rssKib() / 1024.0));
            }
            out.append(
                    overlap
                            ? "some server has connections from both replicas\n"
                            : "no server has connections from both replicas\n");
            System.out.println(out);
            Files.writeString(work.resolve("results.md"), out.toString());
            Bench.log("written to " + work.resolve("results.md"));
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
            for (ExporterProcess p : replicas) {
                p.close();
            }
            for (BenchServer s : fleet) {
                s.close();
            }
        }
    }

    private static ExporterProcess startReplica(int index, Path modules, Path work) throws Exception {
        int port = ExporterProcess.freePort();
        Path launcher = Path.of("pgmetrics-exporter/bin/pgmetrics-exporter").toAbsolutePath();
        List<String> cmd = new ArrayList<>();
        if (Files.isRegularFile(launcher)) {
            cmd.add("sh");
            cmd.add(launcher.toString());
        } else {
            cmd.add(Bench.javaBinary());
            cmd.addAll(Bench.FALLBACK_JVM_FLAGS);
            cmd.add("-jar");
            cmd.add(Path.of("pgmetrics-exporter/target/pgmetrics-exporter.jar")
                    .toAbsolutePath()
                    .toString());
        }
        cmd.addAll(List.of(
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn",
                "--config.file=" + modules,
                "--pgmetrics.max-connections=2",
                "--probe.max-connections=1000",
                // pg_up's login check opens a connection at this interval by design: out of the steady window
                "--pgmetrics.login-check-interval=10m"));
        ExporterProcess p = ExporterProcess.start(
                "replica-" + index, cmd, Map.of(), port, work.resolve("replica-" + index + ".log"));
        Bench.log("replica " + index + ": pid " + p.pid() + " on port " + port);
        return p;
    }

    /** The hashmod relabelling of examples/deploy/prometheus/fleet.yml, with the replicas on this machine. */
    private static Process startPrometheus(List<BenchServer> fleet, List<ExporterProcess> replicas, Path work)
            throws Exception {
        String targets = fleet.stream()
                .map(s -> "\"127.0.0.1:" + s.port() + "/postgres\"")
                .collect(Collectors.joining(", "));
        Path sd = Files.writeString(work.resolve("fleet.json"), "[{\"targets\": [" + targets + "]}]\n");
        StringBuilder rules = new StringBuilder();
        for (int r = 0; r < replicas.size(); r++) {
            rules.append("""
                          - source_labels: [__tmp_shard]
                            regex: "%d"
                            target_label: __address__
                            replacement: 127.0.0.1:%d
                    """.formatted(r, replicas.get(r).port));
        }
        Path config = Files.writeString(
                work.resolve("prometheus.yml"), """
                global:
                  scrape_interval: %ds
                  scrape_timeout: 4s
                scrape_configs:
                  - job_name: fleet
                    metrics_path: /probe
                    params:
                      auth_module: [fleet]
                    file_sd_configs:
                      - files: [%s]
                    relabel_configs:
                      - source_labels: [__address__]
                        target_label: __param_target
                      - source_labels: [__address__]
                        target_label: instance
                      - source_labels: [__address__]
                        modulus: %d
                        target_label: __tmp_shard
                        action: hashmod
                %s      - source_labels: [__tmp_shard]
                        target_label: exporter_shard
                """.formatted(SCRAPE_SECONDS, sd, replicas.size(), rules));
        int port = ExporterProcess.freePort();
        Files.writeString(work.resolve("prometheus.port"), Integer.toString(port));
        Path data = work.resolve("prometheus-data");
        Process p = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + data,
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile())
                .start();
        Bench.log("prometheus: pid " + p.pid() + " on port " + port);
        return p;
    }

    /** Each server's backends of the fleet role, by server port. */
    private static Map<Integer, Set<Integer>> sessions(List<BenchServer> fleet) throws Exception {
        Map<Integer, Set<Integer>> out = new TreeMap<>();
        for (BenchServer s : fleet) {
            Set<Integer> pids = new HashSet<>();
            try (Connection c = s.superuser("postgres");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE usename = '" + ROLE + "'")) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            out.put(s.port(), pids);
        }
        return out;
    }

    /** Established TCP connections of a process to the fleet's servers, by server port (from {@code ss}). */
    private static Map<Integer, Integer> connections(long pid, Set<Integer> serverPorts) throws Exception {
        Process ss = new ProcessBuilder("ss", "-tnpH", "state", "established")
                .redirectErrorStream(true)
                .start();
        String text = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        Map<Integer, Integer> out = new TreeMap<>();
        Pattern peer = Pattern.compile("\\S+:(\\d+)\\s+\\S+:(\\d+)\\s+users:.*pid=" + pid + ",");
        for (String line : text.lines().toList()) {
            Matcher m = peer.matcher(line);
            if (m.find() && serverPorts.contains(Integer.parseInt(m.group(2)))) {
                out.merge(Integer.parseInt(m.group(2)), 1, Integer::sum);
            }
        }
        return out;
    }

    /** An instant query's result: the labels of each series (as name=value,…) and its value. */
    private static Map<String, Double> query(int port, String promql) throws Exception {
        String body = get(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        Map<String, Double> out = new TreeMap<>();
        Matcher m = Pattern.compile("\"metric\":\\{([^}]*)},\"value\":\\[[^,]+,\"([^\"]+)\"]")
                .matcher(body);
        while (m.find()) {
            out.put(m.group(1).replace("\"", "").replace(":", "="), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private static double first(Map<String, Double> result) {
        return result.values().stream().findFirst().orElse(Double.NaN);
    }

    private static double metric(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
