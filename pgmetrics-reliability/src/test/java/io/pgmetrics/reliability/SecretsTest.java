package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.TargetSpec;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import io.pgmetrics.testing.ScramRole;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role with a distinctive password that really is checked (scram-sha-256), used every way the
 * exporter takes one: in DATA_SOURCE_NAME, in an auth module, in a /probe target, wrong, changed
 * under the exporter, in broken connection strings and config files. Everything a person can read is
 * kept (the child process's stdout and stderr at debug level, this JVM's log records at debug level,
 * /metrics, /probe, the landing page, reload answers, exception messages) and searched for the
 * password as written, percent-encoded and in base64: it never appears.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretsTest {

    static final String ROLE = "pgm_secret";
    static final String CORE = "Zq9-UNIQUE-pw-" + Long.toString(Math.abs(new Random().nextLong()), 36);
    /** Every character a connection string or YAML must escape. */
    static final String PASSWORD = CORE + "-a b'c@d/e:f%g";

    @RegisterExtension
    static final LeakWatch watch = new LeakWatch()
            .watch(ROLE, PASSWORD)
            .watchPart(CORE)
            .watch(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD);

    @TempDir
    static Path dir;

    static PgServer pg;

    @BeforeAll
    static void role() {
        pg = SharedServer.get();
        ScramRole.create(pg, ROLE, PASSWORD);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String url(String password) {
        return "postgresql://" + ROLE + ":" + enc(password) + "@localhost:" + pg.port() + "/postgres?sslmode=disable";
    }

    /**
     * pg_terminate_backend only signals the backends: until they are gone, the kept connection still answers and
     * pg_up is rightly 1, so the scrape that is to see the changed password waits for them.
     */
    static void awaitNoSessionsOf(String role) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (var c = pg.superuserConnection();
                    var st = c.createStatement();
                    var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return;
                }
            }
            assertThat(System.nanoTime())
                    .as("sessions of " + role + " 10 s after pg_terminate_backend")
                    .isLessThan(until);
            Thread.sleep(20);
        }
    }

    static String yamlQuoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Test
    void theRunningExporterNeverShowsThePassword() throws Exception {
        Path modules =
                Files.writeString(dir.resolve("postgres_exporter.yml"), """
                auth_modules:
                  secretmod:
                    type: userpass
                    userpass: {username: %s, password: %s}
                    options: {sslmode: disable}
                """.formatted(ROLE, yamlQuoted(PASSWORD)));
        int port = Http.freePort();
        try (ChildExporter child = ChildExporter.start(
                dir,
                List.of(
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=debug",
                        "--config.file=" + modules,
                        "--probe.allowed-targets=localhost",
                        "--web.enable-reload",
                        "--collector.stat_statements"),
                Map.of("DATA_SOURCE_NAME", url(PASSWORD)))) {
            child.awaitLog("listening on", Duration.ofSeconds(60));

            assertThat(value(get(port, "/metrics"), "pg_up"))
                    .as("the password works: /metrics connects")
                    .contains(1.0);
            get(port, "/");
            assertThat(value(
                            get(
                                    port,
                                    "/probe?target=" + enc("localhost:" + pg.port() + "/postgres")
                                            + "&auth_module=secretmod"),
                            "pg_up"))
                    .as("the auth module's password works")
                    .contains(1.0);
            assertThat(value(get(port, "/probe?target=" + enc(url(PASSWORD))), "pg_up"))
                    .as("a password in the probe target works")
                    .contains(1.0);
            assertThat(value(get(port, "/probe?target=" + enc(url(PASSWORD + "x"))), "pg_up"))
                    .as("a wrong password")
                    .contains(0.0);
            // a password that is not escaped moves into other parts of the URL
            get(
                    port,
                    "/probe?target="
                            + enc("postgresql://" + ROLE + ":" + PASSWORD + "@localhost:" + pg.port() + "/postgres"));
            get(
                    port,
                    "/probe?target="
                            + enc("host=localhost port=" + pg.port() + " user=" + ROLE + " password=" + PASSWORD));

            // the password changes under the running exporter, then comes back
            pg.superuserSql(
                    "SET password_encryption = 'scram-sha-256'",
                    "ALTER ROLE " + ROLE + " PASSWORD 'rotated-elsewhere'",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
            awaitNoSessionsOf(ROLE);
            assertThat(value(get(port, "/metrics"), "pg_up"))
                    .as("pg_up after the password changed")
                    .contains(0.0);
            get(port, "/");
            pg.superuserSql(
                    "SET password_encryption = 'scram-sha-256'",
                    "ALTER ROLE " + ROLE + " PASSWORD " + yamlQuoted(PASSWORD));
            assertThat(value(get(port, "/metrics"), "pg_up"))
                    .as("pg_up after the password came back")
                    .contains(1.0);

            child.signal("HUP");
            child.awaitLog("configuration reloaded", Duration.ofSeconds(30));
            watch.record("POST /-/reload", Http.post(port, "/-/reload").body());
            get(port, "/");

            child.signal("TERM");
            assertThat(child.await(Duration.ofSeconds(20)))
                    .as("exit code after SIGTERM")
                    .isIn(0, 143);
            String stderr = child.stderr();
            watch.record("child stderr", stderr);
            watch.record("child stdout", child.stdout());
            assertThat(stderr)
                    .as("debug lines were written, so the search covered them")
                    .contains("level=debug");
            assertThat(stderr)
                    .as("the refused password was logged, so the search covered it")
                    .contains("password authentication failed");
        }
        Figures.add("secrets: child exporter started from", ChildExporter.how());
    }

    @Test
    void sigtermIsLogged() {
        int port = Http.freePort();
        try (ChildExporter child =
                ChildExporter.start(dir, List.of("--web.listen-address=127.0.0.1:" + port), Map.of())) {
            child.awaitLog("listening on", Duration.ofSeconds(60));
            child.signal("TERM");
            child.await(Duration.ofSeconds(20));
            assertThat(child.stderr()).contains("shutting down").contains("stopped; exiting");
        }
    }

    @Test
    void configurationMistakesNeverShowThePassword() throws Exception {
        Path file =
                Files.writeString(dir.resolve("pgmetrics.yml"), """
                targets:
                  - dsn: postgresql://localhost:%d/postgres?sslmod=disable
                    user: %s
                    password: %s
                """.formatted(pg.port(), ROLE, yamlQuoted(PASSWORD)));
        List<Map.Entry<List<String>, Map<String, String>>> runs = List.of(
                Map.entry(
                        List.of(),
                        Map.of(
                                "DATA_SOURCE_NAME",
                                "postgresql://" + ROLE + ":" + enc(PASSWORD) + "@localhost:notaport/postgres")),
                Map.entry(
                        List.of(), Map.of("DATA_SOURCE_NAME", "host=localhost user=" + ROLE + " password=" + PASSWORD)),
                Map.entry(List.of("--pgmetrics.config=" + file), Map.of()),
                Map.entry(
                        List.of("--web.config.file=/nonexistent/web.yml"), Map.of("DATA_SOURCE_NAME", url(PASSWORD))));
        for (var run : runs) {
            List<String> args = new java.util.ArrayList<>(run.getKey());
            args.add("--web.listen-address=127.0.0.1:" + Http.freePort());
            try (ChildExporter child = ChildExporter.start(dir, args, run.getValue())) {
                int code = child.await(Duration.ofSeconds(60));
                String err = child.stderr();
                watch.record("stderr of " + run.getKey(), err);
                watch.record("stdout of " + run.getKey(), child.stdout());
                assertThat(code)
                        .as("exit code of %s; stderr:\n%s", run.getKey(), err)
                        .isEqualTo(2);
                assertThat(err.strip().lines().filter(l -> l.startsWith("pgmetrics-exporter: ")))
                        .as(err)
                        .hasSize(1);
                assertThat(Fuzz.looksLikeStackTrace(err)).as(err).isFalse();
            }
        }
    }

    @Test
    void inProcessLogsValuesAndMessagesNeverShowThePassword() throws Exception {
        // the values that carry it
        Dsn dsn = Dsn.parse(url(PASSWORD));
        watch.record("Dsn.toString", dsn.toString());
        watch.record("Dsn.redacted", dsn.redacted());
        watch.record("Dsn.jdbcUrl", dsn.jdbcUrl());
        watch.record(
                "TargetSpec",
                new TargetSpec(url(PASSWORD), Optional.of(ROLE), Optional.of(PASSWORD), "test").toString());
        Dsn withSslPassword = Dsn.parse(url(PASSWORD) + "&sslpassword=" + enc(PASSWORD));
        watch.record("Dsn with sslpassword, redacted", withSslPassword.redacted());
        assertThatThrownBy(() -> Exporter.start(ExporterConfig.builder()
                        .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                        .target("postgresql://" + ROLE + ":" + enc(PASSWORD) + "@localhost:99999999/postgres")
                        .build()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> watch.record("ConfigException", e.getMessage()));

        // the library: a wrong password, then the right one
        try (PgMetrics wrong = PgMetrics.builder().dsn(url(PASSWORD + "x")).build()) {
            CollectionResult c = wrong.collect(Duration.ofSeconds(5));
            assertThat(c.up()).isFalse();
            watch.record("CollectionResult.error", c.error().orElse(""));
            watch.record("PgMetrics.describe", wrong.describe());
        }

        // the exporter in this JVM, its log at debug level
        try (Exporter e = Exporter.start(ExporterConfig.builder()
                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .target(url(PASSWORD))
                .target(url(PASSWORD + "-wrong").replace("/postgres", "/template1"))
                .collectors(Collectors.only("static", "database"))
                .build())) {
            watch.record("ExporterConfig", e.toString());
            for (int i = 0; i < 3; i++) {
                Http.Response r = Http.get(e.port(), "/metrics");
                watch.record("/metrics in process", r.body());
                assertThat(PromText.parse(r.body()).find("pg_up"))
                        .extracting(PromText.Sample::value)
                        .containsExactlyInAnyOrder(1.0, 0.0);
            }
            watch.record("landing page in process", Http.get(e.port(), "/").body());
        }
    }

    private static Http.Response get(int port, String path) {
        Http.Response r = Http.get(port, path);
        watch.record("GET " + path, r.status() + " " + r.headers().map() + "\n" + r.body());
        return r;
    }

    private static Optional<Double> value(Http.Response r, String name) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return PromText.parse(r.body()).value(name);
    }
}
