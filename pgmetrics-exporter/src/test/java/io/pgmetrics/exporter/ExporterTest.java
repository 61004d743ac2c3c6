package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.exporter.config.ConfigSource;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter in-process against a real PostgreSQL, as the pg_monitor role. */
class ExporterTest {

    static PgServer pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        pg = PgServer.start(PgServer.defaultMajor());
        pg.superuserSql("CREATE DATABASE appdb");
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    static Exporter start(ExporterConfig.Builder b) throws Exception {
        return Exporter.start(b.listenAddresses(List.of(new java.net.InetSocketAddress("127.0.0.1", 0)))
                .build());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void metricsParseStrictlyAndCarryPostgresExporterNames() throws Exception {
        try (Exporter e =
                start(ExporterConfig.builder().target(pg.monitorDsn()).constantLabels(Map.of("env", "test")))) {
            Http.Response r = Http.get(e.port(), "/metrics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            Map<String, PromText.Family> f = PromText.parseFamilies(r.body());
            assertThat(f.get("pg_up").value(Map.of("env", "test"))).contains(1.0);
            assertThat(f)
                    .containsKeys(
                            "pg_exporter_last_scrape_duration_seconds",
                            "pg_exporter_last_scrape_error",
                            "pg_exporter_scrapes_total",
                            "postgres_exporter_config_last_reload_successful",
                            "postgres_exporter_config_last_reload_success_timestamp_seconds",
                            "postgres_exporter_build_info",
                            "pg_static",
                            "pg_stat_database_xact_commit",
                            "pg_scrape_collector_success",
                            "pg_settings_max_connections",
                            "process_resident_memory_bytes");
            assertThat(f.get("pg_stat_database_xact_commit").type).isEqualTo("counter");
            assertThat(f.get("pg_static").type).isEqualTo("untyped");
            assertThat(f.get("pg_static").series.get(0).labels())
                    .containsEntry("server", "localhost:" + pg.port())
                    .containsKeys("version", "short_version");
            assertThat(f.get("pg_exporter_last_scrape_error").value(Map.of("env", "test")))
                    .contains(0.0);
            // constant labels on every series
            f.values()
                    .forEach(fam -> fam.series.forEach(
                            s -> assertThat(s.labels()).as(s.name()).containsEntry("env", "test")));
            // a second scrape counts
            PromText.Family scrapes = PromText.parseFamilies(
                            Http.get(e.port(), "/metrics").body())
                    .get("pg_exporter_scrapes_total");
            assertThat(scrapes.value(Map.of("env", "test"))).contains(2.0);
        }
    }

    @Test
    void namesFilterOpenMetricsAndGzip() throws Exception {
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()))) {
            Http.Response filtered =
                    Http.get(e.port(), "/metrics?name[]=pg_up&" + enc("name[]") + "=pg_stat_database_xact_commit");
            assertThat(PromText.parseFamilies(filtered.body()).keySet())
                    .containsExactlyInAnyOrder("pg_up", "pg_stat_database_xact_commit");

            Http.Response om = Http.get(e.port(), "/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
            assertThat(om.header("Content-Type")).startsWith("application/openmetrics-text; version=1.0.0");
            assertThat(om.body()).contains("# TYPE pg_up gauge").endsWith("# EOF\n");

            Http.Response gz = Http.get(e.port(), "/metrics", "Accept-Encoding", "gzip");
            assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(PromText.parseFamilies(gz.body())).containsKey("pg_up");
        }
    }

    @Test
    void landingPageHealthAndReadinessNeverTouchTheDatabaseAndHidePasswords() throws Exception {
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()))) {
            Http.Response landing = Http.get(e.port(), "/");
            assertThat(landing.status()).isEqualTo(200);
            assertThat(landing.body())
                    .contains("Postgres Exporter", "/metrics", "localhost:" + pg.port(), "not run yet")
                    .doesNotContain(PgServer.MONITOR_PASSWORD);
            Http.get(e.port(), "/metrics");
            assertThat(Http.get(e.port(), "/").body())
                    .contains("OK")
                    .contains("pg_stat_database")
                    .doesNotContain(PgServer.MONITOR_PASSWORD);
            assertThat(Http.get(e.port(), "/healthz").body()).isEqualTo("ok\n");
            assertThat(Http.get(e.port(), "/readyz").status()).isEqualTo(200);
            assertThat(Http.get(e.port(), "/nope").status()).isEqualTo(404);
            assertThat(Http.post(e.port(), "/-/reload").status()).isEqualTo(404);
            assertThat(Http.post(e.port(), "/metrics").status()).isEqualTo(405);
        }
    }

    @Test
    void noTargetStillServesPgUpZeroAndMetaMetrics() throws Exception {
        try (Exporter e = start(ExporterConfig.builder())) {
            Map<String, PromText.Family> f =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            assertThat(f.get("pg_up").value(Map.of())).contains(0.0);
            assertThat(f)
                    .containsKeys(
                            "pg_exporter_scrapes_total",
                            "pg_exporter_last_scrape_error",
                            "postgres_exporter_build_info");
            assertThat(f).doesNotContainKey("pg_stat_database_xact_commit");
        }
    }

    @Test
    void probeAnswersPostgresExporters400CasesAndUsesAuthModules() throws Exception {
        Path auth = dir.resolve("postgres_exporter.yml");
        Files.writeString(auth, """
                auth_modules:
                  monitor:
                    type: userpass
                    userpass:
                      username: %s
                      password: %s
                    options:
                      sslmode: disable
                      application_name: probe-test
                  nopass:
                    type: userpass
                    userpass:
                      username: someone
                """.formatted(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD));
        try (Exporter e = start(ExporterConfig.builder()
                .authModulesFile(auth, true)
                .probeAllowedTargets(List.of("localhost", "127.0.0.0/8")))) {
            assertThat(Http.get(e.port(), "/probe")).satisfies(r -> {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.body()).isEqualTo("target is required\n");
            });
            assertThat(Http.get(e.port(), "/probe?target=localhost:" + pg.port() + "&auth_module=missing")
                            .status())
                    .isEqualTo(400);
            assertThat(Http.get(e.port(), "/probe?target=localhost:" + pg.port() + "&auth_module=nopass")
                            .body())
                    .contains("no username or password");
            assertThat(Http.get(e.port(), "/probe?target=" + enc("postgresql://[bad"))
                            .status())
                    .isEqualTo(400);
            assertThat(Http.get(e.port(), "/probe?target=db.example.com:5432").status())
                    .isEqualTo(403);

            Http.Response ok = Http.get(
                    e.port(), "/probe?target=" + enc("localhost:" + pg.port() + "/postgres") + "&auth_module=monitor");
            assertThat(ok.status()).isEqualTo(200);
            Map<String, PromText.Family> f = PromText.parseFamilies(ok.body());
            assertThat(f.get("pg_up").value()).contains(1.0);
            assertThat(f)
                    .containsKeys("pg_stat_database_xact_commit", "pg_exporter_last_scrape_duration_seconds")
                    .doesNotContainKeys("process_resident_memory_bytes", "postgres_exporter_build_info");
            // the target's own credentials without a module
            Http.Response own = Http.get(e.port(), "/probe?target=" + enc(pg.monitorDsn()));
            assertThat(PromText.parseFamilies(own.body()).get("pg_up").value()).contains(1.0);
            // the application name from the module's options reached the server
            try (var c = pg.superuserConnection();
                    var st = c.createStatement();
                    var rs = st.executeQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'probe-test'")) {
                rs.next();
                // the two kept connections of the default database, and the login check's, maybe still ending
                assertThat(rs.getInt(1)).isBetween(1, 3);
            }
        }
    }

    @Test
    void fiftyConcurrentScrapersNeverOpenMoreThanTheCap() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pg.monitorBackends() > 0 && System.nanoTime() < until) {
            Thread.sleep(50); // backends of earlier tests' exporters are still exiting
        }
        assertThat(pg.monitorBackends()).isZero();
        try (Exporter e = start(ExporterConfig.builder()
                .target(pg.monitorDsn())
                .maxConnectionsPerTarget(2)
                .httpThreads(16))) {
            ExecutorService pool = Executors.newFixedThreadPool(50);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger maxSeen = new AtomicInteger();
            Thread watcher = new Thread(() -> {
                while (running.get()) {
                    maxSeen.accumulateAndGet(pg.monitorBackends(), Math::max);
                }
            });
            watcher.start();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int ok = 0;
                    for (int k = 0; k < 3; k++) {
                        Http.Response r = Http.get(e.port(), "/metrics");
                        PromText.parseFamilies(r.body());
                        ok += r.status() == 200 && r.body().contains("pg_up 1") ? 1 : 0;
                    }
                    return ok;
                }));
            }
            go.countDown();
            int ok = 0;
            for (Future<Integer> f : results) {
                ok += f.get(120, TimeUnit.SECONDS);
            }
            running.set(false);
            watcher.join();
            pool.shutdown();
            assertThat(ok).isEqualTo(150);
            assertThat(maxSeen.get()).isBetween(1, 2);
        }
    }

    @Test
    void legacyCustomQueriesWithEveryUsage() throws Exception {
        pg.superuserSqlIn(
                "appdb",
                "CREATE SCHEMA IF NOT EXISTS app",
                "CREATE TABLE IF NOT EXISTS app.queue_state(queue text, health text, processed bigint)",
                "CREATE TABLE IF NOT EXISTS app.jobs(queue text, enqueued_at timestamptz, finished_at timestamptz)",
                "TRUNCATE app.queue_state, app.jobs",
                "INSERT INTO app.queue_state VALUES ('mail', 'degraded', 1520)",
                "INSERT INTO app.jobs VALUES ('mail', now() - interval '5 s', NULL), ('mail', now() - interval '10.5 s', NULL),"
                        + " ('mail', now() - interval '42 s', NULL)",
                "GRANT USAGE ON SCHEMA app TO " + PgServer.MONITOR_USER,
                "GRANT SELECT ON ALL TABLES IN SCHEMA app TO " + PgServer.MONITOR_USER);
        Path queries = dir.resolve("queries.yaml");
        Files.writeString(queries, LEGACY_QUERIES);
        try (Exporter e =
                start(ExporterConfig.builder().target(pg.monitorDsn("appdb")).legacyQueryFiles(List.of(queries)))) {
            Map<String, PromText.Family> f =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            Map<String, String> mail = Map.of("queue", "mail", "server", "localhost:" + pg.port());
            assertThat(f.get("app_queue_processed").type).isEqualTo("counter");
            assertThat(f.get("app_queue_processed").value(mail)).contains(1520.0);
            assertThat(f.get("app_queue_pending").value(mail)).contains(3.0);
            assertThat(f.get("app_queue_health").value(mail))
                    .contains(1.0); // MAPPEDMETRIC honoured (postgres_exporter drops it)
            assertThat(f.get("app_queue_oldest_wait_milliseconds").value(mail).orElseThrow())
                    .isBetween(42000.0, 44000.0);
            PromText.Family wait = f.get("app_queue_wait");
            assertThat(wait.type).isEqualTo("histogram");
            assertThat(wait.series).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo("app_queue_wait_bucket");
                assertThat(s.labels()).containsEntry("le", "60");
                assertThat(s.value()).isEqualTo(3.0);
            });
            assertThat(wait.series).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo("app_queue_wait_count");
                assertThat(s.value()).isEqualTo(3.0);
            });
            String hash = io.pgmetrics.core.yaml.LegacyQueriesYaml.sha256(queries);
            assertThat(f.get("pg_exporter_user_queries_load_error")
                            .value(Map.of("filename", queries.toString(), "hashsum", hash)))
                    .contains(0.0);
        }
    }

    @Test
    void reloadAcceptsAGoodConfigurationAndRejectsABadOneWhileTheOldKeepsServing() throws Exception {
        Path queries = dir.resolve("reload.yaml");
        Files.writeString(queries, """
                reload_probe:
                  query: "SELECT 1 AS one"
                  metrics:
                    - one: {usage: GAUGE, description: first}
                """);
        ConfigSource reloads = () -> ExporterConfig.builder()
                .target(pg.monitorDsn())
                .legacyQueryFiles(List.of(queries))
                .enableReload(true)
                .listenAddresses(List.of(new java.net.InetSocketAddress("127.0.0.1", 0)))
                .build();
        try (Exporter e = Exporter.start(reloads.load(), reloads)) {
            assertThat(Http.get(e.port(), "/metrics").body()).contains("reload_probe_one{");
            Files.writeString(queries, """
                    reload_probe:
                      query: "SELECT 2 AS two"
                      metrics:
                        - two: {usage: GAUGE, description: second}
                    """);
            assertThat(Http.post(e.port(), "/-/reload").status()).isEqualTo(200);
            String after = Http.get(e.port(), "/metrics").body();
            assertThat(after).contains("reload_probe_two{").doesNotContain("reload_probe_one{");
            assertThat(PromText.parseFamilies(after)
                            .get("postgres_exporter_config_last_reload_successful")
                            .value())
                    .contains(1.0);

            Files.writeString(
                    queries,
                    "reload_probe:\n  query: \"SELECT 3 AS three\"\n  metrics:\n    - three: {usage: GAUGEE}\n");
            Http.Response rejected = Http.post(e.port(), "/-/reload");
            assertThat(rejected.status()).isEqualTo(500);
            assertThat(rejected.body()).contains("GAUGEE");
            Map<String, PromText.Family> f =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            assertThat(f).containsKey("reload_probe_two");
            assertThat(f.get("postgres_exporter_config_last_reload_successful").value())
                    .contains(0.0);
            assertThat(f.get("pg_exporter_user_queries_load_error").series)
                    .anySatisfy(s -> assertThat(s.value()).isEqualTo(1.0));
        }
    }

    @Test
    void severalTargetsGetAServerLabelAndNoDuplicates() throws Exception {
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()).target(pg.monitorDsn("appdb")))) {
            Map<String, PromText.Family> f =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            assertThat(f.get("pg_up").series)
                    .extracting(s -> s.labels().get("server"))
                    .containsExactlyInAnyOrder(
                            "localhost:" + pg.port() + "/postgres", "localhost:" + pg.port() + "/appdb");
            assertThat(f.get("pg_up").series)
                    .allSatisfy(s -> assertThat(s.value()).isEqualTo(1.0));
        }
    }

    @Test
    void databaseDownThenUp(@TempDir Path data) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PgServer own = PgServer.start(PgServer.defaultMajor(), port, data);
        String dsn = own.monitorDsn();
        own.close();
        try (Exporter e = start(ExporterConfig.builder().target(dsn).defaultScrapeBudget(Duration.ofSeconds(5)))) {
            Map<String, PromText.Family> down =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            assertThat(down.get("pg_up").value()).contains(0.0);
            assertThat(down.get("pg_exporter_last_scrape_error").value()).contains(1.0);
            assertThat(Http.get(e.port(), "/").body())
                    .contains("class=\"down\"")
                    .doesNotContain(PgServer.MONITOR_PASSWORD);
            own = PgServer.start(PgServer.defaultMajor(), port, data);
            try {
                Map<String, PromText.Family> up =
                        PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
                assertThat(up.get("pg_up").value()).contains(1.0);
                assertThat(up).containsKey("pg_stat_database_xact_commit");
            } finally {
                own.close();
            }
        }
    }

    @Test
    void strictProfilePassesPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed");
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()).namingProfile(NamingProfile.STRICT))) {
            String body = Http.get(e.port(), "/metrics").body();
            PromText.parseFamilies(body);
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write(body.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            // every line promtool prints is a complaint (the strict catalog renames the two settings whose
            // server names trip its suffix rules: tcp_keepalives_count, wal_summary_keep_time)
            assertThat(out.lines().toList()).isEmpty();
        }
    }

    @Test
    void dryRunPrintsThePlanRunsEachQueryAndFailsOnAnError() throws Exception {
        MainTest.Run ok = MainTest.run(Map.of("DATA_SOURCE_NAME", pg.monitorDsn()), "--dry-run", "--log.level=error");
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out())
                .contains(
                        "server: PostgreSQL " + pg.major(),
                        "RUN  pg_stat_database",
                        "OK",
                        "SKIP ",
                        "OK: every planned query ran without error")
                .doesNotContain(PgServer.MONITOR_PASSWORD);

        Path broken = Files.writeString(dir.resolve("broken.yaml"), """
                broken:
                  query: "SELECT no_such_column FROM pg_database"
                  metrics:
                    - no_such_column: {usage: GAUGE, description: x}
                """);
        MainTest.Run failed = MainTest.run(
                Map.of("DATA_SOURCE_NAME", pg.monitorDsn()),
                "--dry-run",
                "--log.level=error",
                "--extend.query-path=" + broken);
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.out()).contains("RUN  broken", "FAILED", "no_such_column");

        Path invalid = Files.writeString(
                dir.resolve("invalid.yaml"),
                "bad:\n  query: SELECT 1 AS a\n  metrics:\n    - a: {usage: GAUGEE}\n    - b: {usage: NOPE}\n");
        MainTest.Run listed = MainTest.run(Map.of(), "--dry-run", "--extend.query-path=" + invalid);
        assertThat(listed.code()).isEqualTo(1);
        assertThat(listed.out()).contains("GAUGEE", "NOPE");
    }

    @Test
    void webConfigBasicAuthGuardsEverythingButTheHealthChecks() throws Exception {
        // password "colon:inside:password" (a reference vector of the web config's bcrypt tests)
        Path web = Files.writeString(
                dir.resolve("web.yml"),
                "basic_auth_users:\n  prometheus: $2a$05$kWkDewjmRl.EGcxfxXbmUOdJdAdFsXgcJynx3LEURn0l4NQCfpuo2\n");
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()).webConfigFile(web))) {
            String good = "Basic "
                    + java.util.Base64.getEncoder()
                            .encodeToString("prometheus:colon:inside:password".getBytes(StandardCharsets.UTF_8));
            String bad = "Basic "
                    + java.util.Base64.getEncoder().encodeToString("prometheus:wrong".getBytes(StandardCharsets.UTF_8));
            assertThat(Http.get(e.port(), "/metrics").status()).isEqualTo(401);
            assertThat(Http.get(e.port(), "/metrics", "Authorization", bad).status())
                    .isEqualTo(401);
            assertThat(Http.get(e.port(), "/probe?target=x", "Authorization", bad)
                            .status())
                    .isEqualTo(401);
            assertThat(Http.get(e.port(), "/", "Authorization", bad).status()).isEqualTo(401);
            assertThat(Http.get(e.port(), "/metrics", "Authorization", good).body())
                    .contains("pg_up 1");
            assertThat(Http.get(e.port(), "/healthz").status()).isEqualTo(200);
            assertThat(Http.get(e.port(), "/readyz").status()).isEqualTo(200);
        }
    }

    static final String LEGACY_QUERIES = """
            app_queue:
              master: true
              cache_seconds: 30
              query: |
                WITH waiting AS (
                  SELECT queue, extract(epoch FROM now() - enqueued_at) AS s
                  FROM app.jobs
                  WHERE finished_at IS NULL
                )
                SELECT st.queue                                            AS queue,
                       st.health                                           AS health,
                       st.processed                                        AS processed,
                       count(w.s)                                          AS pending,
                       coalesce(round(max(w.s) * 1000)::bigint, 0) || 'ms' AS oldest_wait,
                       ARRAY[1, 10, 60, 600]::float8[]                     AS wait,
                       ARRAY[count(*) FILTER (WHERE w.s <= 1),
                             count(*) FILTER (WHERE w.s <= 10),
                             count(*) FILTER (WHERE w.s <= 60),
                             count(*) FILTER (WHERE w.s <= 600)]           AS wait_bucket,
                       coalesce(sum(w.s), 0)                               AS wait_sum,
                       count(w.s)                                          AS wait_count
                FROM app.queue_state st
                LEFT JOIN waiting w USING (queue)
                GROUP BY st.queue, st.health, st.processed
              metrics:
                - queue:
                    usage: LABEL
                    description: Queue name
                - health:
                    usage: MAPPEDMETRIC
                    description: Queue health (0 ok, 1 degraded, 2 failing)
                    metric_mapping: {ok: 0, degraded: 1, failing: 2}
                - processed:
                    usage: COUNTER
                    description: Jobs completed since the queue was created
                - pending:
                    usage: GAUGE
                    description: Jobs waiting to run
                - oldest_wait:
                    usage: DURATION
                    description: Wait time of the oldest pending job
                - wait:
                    usage: HISTOGRAM
                    description: Wait time of pending jobs in seconds
            """;
}
