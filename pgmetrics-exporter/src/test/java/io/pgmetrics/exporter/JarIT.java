package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a child process, the way users run it: flags, environment, secrets in files,
 * exit codes, SIGHUP and SIGTERM. Also prints startup time and memory figures (not asserted).
 */
class JarIT {

    static PgServer pg;
    static Path jar;

    @TempDir
    Path dir;

    final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        // a private copy: a build running next to the tests may rewrite target/ while a child JVM reads the jar
        Path built = Path.of(System.getProperty("pgmetrics.exporter.jar", "target/pgmetrics-exporter.jar"));
        jar = Files.createTempFile("pgmetrics-exporter-it", ".jar");
        Files.copy(built, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        jar.toFile().deleteOnExit();
        pg = PgServer.start(PgServer.defaultMajor());
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    @AfterEach
    void stopChildren() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    record Child(Process process, int port, Path stderr) {
        String log() throws IOException {
            return Files.readString(stderr);
        }
    }

    Child launch(Map<String, String> env, String... args) throws Exception {
        return launch(
                List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", jar.toString()),
                env,
                args);
    }

    Child launch(List<String> command, Map<String, String> env, String... args) throws Exception {
        int port = Http.freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.add("--web.listen-address=127.0.0.1:" + port);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("DATA_SOURCE") || k.startsWith("PG_EXPORTER") || k.startsWith("POSTGRES_"));
        pb.environment().putAll(env);
        Path stderr = dir.resolve("stderr-" + port + ".log");
        pb.redirectError(stderr.toFile())
                .redirectOutput(dir.resolve("stdout-" + port + ".log").toFile());
        Process p = pb.start();
        started.add(p);
        Child c = new Child(p, port, stderr);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new AssertionError("exporter exited with " + p.exitValue() + ": " + c.log());
            }
            try {
                if (Http.get(port, "/healthz").status() == 200) {
                    return c;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("exporter did not answer /healthz: " + c.log());
    }

    static ProcessResult runToEnd(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("DATA_SOURCE") || k.startsWith("PG_EXPORTER") || k.startsWith("POSTGRES_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out, err);
    }

    record ProcessResult(int code, String out, String err) {}

    @Test
    void configurationMistakesExitTwoWithOneLine() throws Exception {
        ProcessResult unknown = runToEnd(dir, Map.of(), "--collector.nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().lines())
                .singleElement()
                .asString()
                .startsWith("pgmetrics-exporter: unknown flag --collector.nope");
        Path bad = Files.writeString(dir.resolve("pgmetrics.yml"), "web:\n  telemetry_path: metrics\n");
        ProcessResult badFile = runToEnd(dir, Map.of("PGMETRICS_CONFIG", bad.toString()));
        assertThat(badFile.code()).isEqualTo(2);
        assertThat(badFile.err().lines())
                .singleElement()
                .asString()
                .contains(bad + ":2:19: web.telemetry_path")
                .contains("must start with /");
        ProcessResult badQueries = runToEnd(
                dir,
                Map.of("DATA_SOURCE_NAME", pg.monitorDsn()),
                "--extend.query-path="
                        + Files.writeString(
                                dir.resolve("q.yaml"),
                                "x:\n  query: SELECT 1 AS a\n  metrics:\n    - a: {usage: gauge}\n"),
                "--web.listen-address=127.0.0.1:" + Http.freePort());
        assertThat(badQueries.code()).isEqualTo(2);
        assertThat(badQueries.err().lines().filter(l -> l.startsWith("pgmetrics-exporter:")))
                .singleElement()
                .asString()
                .contains("q.yaml");
        ProcessResult help = runToEnd(dir, Map.of(), "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--[no-]collector.stat_statements", "PG_EXPORTER_COLLECTION_TIMEOUT");
    }

    @Test
    void dataSourceUriWithSecretsInFilesAndJsonLogsWithoutPasswords() throws Exception {
        Path user = Files.writeString(dir.resolve("user"), PgServer.MONITOR_USER + "\n");
        Path pass = Files.writeString(dir.resolve("pass"), PgServer.MONITOR_PASSWORD + "\n");
        Child c = launch(
                Map.of(
                        "DATA_SOURCE_URI",
                        "localhost:" + pg.port() + "/postgres?sslmode=disable",
                        "DATA_SOURCE_USER_FILE",
                        user.toString(),
                        "DATA_SOURCE_PASS_FILE",
                        pass.toString(),
                        "PG_EXPORTER_CONSTANT_LABELS",
                        "env=it"),
                "--log.format=json",
                "--log.level=debug");
        Map<String, PromText.Family> f =
                PromText.parseFamilies(Http.get(c.port(), "/metrics").body());
        assertThat(f.get("pg_up").value(Map.of("env", "it"))).contains(1.0);
        String log = c.log();
        assertThat(log).isNotEmpty().doesNotContain(PgServer.MONITOR_PASSWORD);
        assertThat(log.lines())
                .allSatisfy(l -> assertThat(l).startsWith("{\"time\":").endsWith("}"));
    }

    @Test
    void kubernetesPartsPattern() throws Exception {
        Path pass = Files.writeString(dir.resolve("pw"), PgServer.MONITOR_PASSWORD);
        Child c = launch(Map.of(
                "POSTGRES_HOST",
                "localhost",
                "POSTGRES_PORT",
                Integer.toString(pg.port()),
                "POSTGRES_USER",
                PgServer.MONITOR_USER,
                "POSTGRES_PASSWORD_FILE",
                pass.toString()));
        assertThat(PromText.parseFamilies(Http.get(c.port(), "/metrics").body())
                        .get("pg_up")
                        .value())
                .contains(1.0);
        assertThat(Http.get(c.port(), "/").body())
                .contains("localhost:" + pg.port())
                .doesNotContain(PgServer.MONITOR_PASSWORD);
    }

    @Test
    void sighupReloadsAndABadFileKeepsTheOldConfiguration() throws Exception {
        Path cfg = dir.resolve("pgmetrics.yml");
        Files.writeString(cfg, "constant_labels: {generation: one}\n");
        Child c = launch(Map.of("DATA_SOURCE_NAME", pg.monitorDsn()), "--pgmetrics.config=" + cfg);
        assertThat(PromText.parseFamilies(Http.get(c.port(), "/metrics").body())
                        .get("pg_up")
                        .value(Map.of("generation", "one")))
                .contains(1.0);

        Files.writeString(cfg, "constant_labels: {generation: two}\n");
        signal(c, "HUP");
        awaitBody(c, "generation=\"two\"");

        Files.writeString(cfg, "constant_labels: {generation: three}\nnot_a_key: 1\n");
        signal(c, "HUP");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.log().contains("reload rejected") && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        Map<String, PromText.Family> f =
                PromText.parseFamilies(Http.get(c.port(), "/metrics").body());
        assertThat(f.get("pg_up").value(Map.of("generation", "two"))).contains(1.0);
        assertThat(f.get("postgres_exporter_config_last_reload_successful").value(Map.of("generation", "two")))
                .contains(0.0);
        assertThat(c.log()).contains("not_a_key");
    }

    @Test
    void sigtermStopsWithinAFewSeconds() throws Exception {
        Child c = launch(Map.of("DATA_SOURCE_NAME", pg.monitorDsn()));
        Http.get(c.port(), "/metrics");
        long t0 = System.nanoTime();
        signal(c, "TERM");
        assertThat(c.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
        System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(c.log()).contains("shutting down");
    }

    /** Figures for the README: the launcher script's flags against plain java -jar. Printed, not asserted. */
    @Test
    void startupTimeAndMemoryFigures() throws Exception {
        Path launcher = Path.of("bin/pgmetrics-exporter").toAbsolutePath();
        figures("bin/pgmetrics-exporter", List.of("sh", launcher.toString()));
        figures("java -jar", List.of("java", "-jar", jar.toString()));
    }

    private void figures(String name, List<String> command) throws Exception {
        long t0 = System.nanoTime();
        Child c = launch(
                command,
                Map.of("DATA_SOURCE_NAME", pg.monitorDsn(), "PGMETRICS_JAR", jar.toString()),
                "--log.level=warn");
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 0; i < 100; i++) {
            assertThat(Http.get(c.port(), "/metrics").status()).isEqualTo(200);
        }
        String status = Files.readString(Path.of("/proc/" + c.process().pid() + "/status"));
        String rss =
                status.lines().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
        System.out.printf(
                "FIGURES %s: first 200 on /healthz after %d ms; after 100 scrapes %s%n",
                name, startMillis, rss.replaceAll("\\s+", " "));
        c.process().destroy();
        c.process().waitFor(10, TimeUnit.SECONDS);
    }

    private static void signal(Child c, String name) throws Exception {
        Process kill = new ProcessBuilder(
                        "kill", "-" + name, Long.toString(c.process().pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }

    private static void awaitBody(Child c, String text) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String body = "";
        while (System.nanoTime() < until) {
            body = Http.get(c.port(), "/metrics").body();
            if (body.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + text + " after reload; log: " + c.log());
    }
}
