package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One exporter, one database, one fault after another, as in production: after each, the scrape
 * answers within the timeout Prometheus sends, {@code pg_up} and the per-query success metrics say
 * what happened, and the exporter recovers by itself once the fault ends. At the end, a few hundred
 * more scrapes show that connections and threads did not grow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DatabaseFaultsTest {

    /** What the Prometheus server allows a scrape (sent as X-Prometheus-Scrape-Timeout-Seconds). */
    static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(4);

    static final int CAP = 2;

    @RegisterExtension
    static final LeakWatch watch = new LeakWatch().watch(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD);

    @TempDir
    static Path root;

    FaultyServer db;
    Exporter exporter;
    /** How often pg_up tries a new login here (the default is 60 s): refused logins show within it. */
    static final Duration LOGIN_CHECK = Duration.ofSeconds(1);

    int faults;
    int scrapes;
    int maxBackends;
    Duration slowest = Duration.ZERO;
    int baselineExporterThreads;
    int baselineAllThreads;

    @BeforeAll
    void start() throws Exception {
        db = FaultyServer.start(PgServer.defaultMajor(), root);
        exporter = Exporter.start(ExporterConfig.builder()
                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .target(db.pg().monitorDsn())
                .collectors(Collectors.only(
                        "static", "database", "stat_database", "stat_user_tables", "stat_wal", "stat_activity"))
                .queryTimeout(Duration.ofSeconds(2))
                .maxConnectionsPerTarget(CAP)
                .loginCheckInterval(LOGIN_CHECK)
                .build());
    }

    @AfterAll
    void stop() {
        if (exporter != null) {
            watch.record("landing page", Http.get(exporter.port(), "/").body());
            exporter.close();
        }
        if (db != null) {
            db.close();
        }
        Figures.add("database faults injected", faults);
        Figures.add("database faults: scrapes served", scrapes);
        Figures.add(
                "database faults: slowest scrape (ms, timeout " + SCRAPE_TIMEOUT.toMillis() + ")", slowest.toMillis());
        Figures.add("database faults: most monitor connections seen (cap " + CAP + ")", maxBackends);
    }

    /** A fault test that failed half-way leaves the server down: the next one starts from a running server. */
    @BeforeEach
    void serverRunning() {
        if (!db.running()) {
            db.startAs(PgServer.defaultMajor());
        }
    }

    // ---- the faults, in order ----

    @Test
    @Order(1)
    void healthyBaseline() {
        awaitHealthy("the start");
        baselineExporterThreads = Threads.exporters();
        baselineAllThreads = Threads.all();
    }

    @Test
    @Order(2)
    void stoppedServer() {
        fault();
        db.stop();
        for (int i = 0; i < 3; i++) {
            assertDown(scrape(), "server stopped");
        }
        db.startAs(PgServer.defaultMajor());
        awaitHealthy("restart after a stop");
    }

    @Test
    @Order(3)
    void killedServer() {
        fault();
        db.kill9();
        for (int i = 0; i < 3; i++) {
            assertDown(scrape(), "postmaster killed with SIGKILL");
        }
        db.startAs(PgServer.defaultMajor()); // crash recovery on the same data
        awaitHealthy("restart after SIGKILL");
    }

    @Test
    @Order(4)
    void restartedBetweenTwoScrapes() {
        awaitHealthy("before the restart");
        fault();
        db.stop();
        db.startAs(PgServer.defaultMajor());
        // the kept connections are dead: the first scrape says so (pg_up 0) but reconnects for its queries
        assertLostButServed(scrape(), "first scrape after a restart on the same port");
        assertHealthy(scrape(), "second scrape after a restart on the same port");
    }

    @Test
    @Order(5)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void restartedAsAnotherMajorVersion() {
        int first = PgServer.defaultMajor();
        int other = first == 18 ? 17 : 18;
        PromText before = awaitHealthy("before the upgrade");
        assertThat(before.find("pg_static").get(0).labels().get("short_version"))
                .startsWith(first + ".");
        fault();
        db.stop();
        db.startAs(other);
        PromText after = awaitHealthy("restart as PostgreSQL " + other);
        assertThat(after.find("pg_static"))
                .as("one pg_static series, of the new version")
                .hasSize(1);
        assertThat(after.find("pg_static").get(0).labels().get("short_version")).startsWith(other + ".");
        // a query planned only for 18 and one only up to 17: the plan was remade for the new server
        String only18 = "pg_stat_database_parallel_workers_launched";
        String upTo17 = "pg_stat_wal_write_total";
        assertThat(after.has(other >= 18 ? only18 : upTo17))
                .as("metrics of PostgreSQL " + other + " appear")
                .isTrue();
        assertThat(after.has(other >= 18 ? upTo17 : only18))
                .as("metrics of PostgreSQL " + first + " only are gone")
                .isFalse();
        db.stop();
        db.startAs(first);
        PromText back = awaitHealthy("back to PostgreSQL " + first);
        assertThat(back.find("pg_static").get(0).labels().get("short_version")).startsWith(first + ".");
    }

    @Test
    @Order(6)
    void silentListenerInsteadOfTheServer() {
        fault();
        db.stop();
        try (FakeServer silent = FakeServer.listen(db.port(), FakeServer.Behaviour.SILENT)) {
            for (int i = 0; i < 3; i++) {
                assertDown(scrape(), "a listener that accepts and never answers");
            }
            assertThat(silent.accepted()).as("the exporter did try to connect").isPositive();
        }
        db.startAs(PgServer.defaultMajor());
        awaitHealthy("after the silent listener");
    }

    @Test
    @Order(7)
    void resettingListenerInsteadOfTheServer() {
        fault();
        db.stop();
        try (FakeServer reset = FakeServer.listen(db.port(), FakeServer.Behaviour.RESET)) {
            for (int i = 0; i < 3; i++) {
                assertDown(scrape(), "a listener that resets every connection");
            }
            assertThat(reset.accepted()).isPositive();
        }
        db.startAs(PgServer.defaultMajor());
        awaitHealthy("after the resetting listener");
    }

    @Test
    @Order(8)
    void ourBackendsTerminated() {
        awaitHealthy("before pg_terminate_backend");
        fault();
        db.pg()
                .superuserSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                        + PgServer.MONITOR_USER + "'");
        assertLostButServed(scrape(), "first scrape after pg_terminate_backend");
        assertHealthy(scrape(), "second scrape after pg_terminate_backend");
    }

    @Test
    @Order(9)
    void maxConnectionsExhausted() {
        awaitHealthy("before max_connections is reached");
        fault();
        int opened = db.exhaustConnections();
        try {
            assertThat(opened).isPositive();
            FaultyServer.sleep(LOGIN_CHECK.toMillis() + 100); // the kept connections still work: the login check tells
            for (int i = 0; i < 3; i++) {
                PromText m = scrape();
                assertThat(m.value("pg_up"))
                        .as("pg_up when the server refuses new connections (scrape %d)", i + 1)
                        .contains(0.0);
                assertTruthfulPerQuery(m);
            }
        } finally {
            db.releaseConnections();
        }
        awaitHealthy("after connections were freed");
    }

    @Test
    @Order(10)
    void passwordChanged() {
        awaitHealthy("before the password change");
        fault();
        db.setPassword(PgServer.MONITOR_USER, "rotated-" + System.nanoTime());
        db.pg()
                .superuserSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                        + PgServer.MONITOR_USER + "'");
        for (int i = 0; i < 3; i++) {
            PromText m = scrape();
            assertThat(m.value("pg_up")).as("pg_up with a refused password").contains(0.0);
            assertTruthfulPerQuery(m);
        }
        db.setPassword(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD);
        awaitHealthy("after the password was set back");
    }

    @Test
    @Order(11)
    void databaseDroppedWhileDiscovered() {
        db.pg().superuserSql("CREATE DATABASE doomed");
        db.pg()
                .superuserSqlIn(
                        "doomed",
                        "CREATE TABLE t (id int)",
                        "INSERT INTO t VALUES (1)",
                        "GRANT SELECT ON t TO " + PgServer.MONITOR_USER);
        PromText m = awaitHealthy("with database doomed");
        assertThat(m.find("pg_stat_user_tables_n_live_tup", "datname", "doomed"))
                .as("the database was discovered")
                .isNotEmpty();
        fault();
        db.pg().superuserSql("DROP DATABASE doomed WITH (FORCE)");
        PromText after = scrape();
        assertHealthy(after, "first scrape after DROP DATABASE");
        assertThat(after.samples())
                .as("no series of the dropped database")
                .noneMatch(s -> "doomed".equals(s.labels().get("datname")));
    }

    @Test
    @Order(12)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void connectionsAndThreadsDoNotGrowOverHundredsOfScrapes() {
        awaitHealthy("before the long run");
        // the HTTP pool starts a thread per request until it has its configured number: warm it up first
        scrapeMany(50);
        int warmExporterThreads = Threads.exporters();
        int warmAllThreads = Threads.all();
        int rounds = Integer.getInteger("pgmetrics.reliability.scrapes", 200);
        scrapeMany(rounds);
        int backends = db.monitorBackends();
        maxBackends = Math.max(maxBackends, backends);
        int exporterThreads = Threads.exporters();
        int allThreads = Threads.all();
        Figures.add(
                "database faults: exporter threads (pgmetrics-*) at start / after faults and 50 scrapes / after "
                        + rounds + " more",
                baselineExporterThreads + " / " + warmExporterThreads + " / " + exporterThreads + " "
                        + Threads.exporterNames());
        Figures.add(
                "database faults: JVM threads at start / after faults and 50 scrapes / after " + rounds + " more",
                baselineAllThreads + " / " + warmAllThreads + " / " + allThreads);
        assertThat(backends)
                .as("monitor connections after %d more scrapes", rounds)
                .isLessThanOrEqualTo(CAP);
        assertThat(maxBackends).as("most monitor connections seen at any check").isLessThanOrEqualTo(CAP);
        // the idle-connection evictor comes and goes with idle connections: one thread of slack
        assertThat(exporterThreads)
                .as("exporter threads %s", Threads.exporterNames())
                .isLessThanOrEqualTo(warmExporterThreads + 1);
        // and whatever happened before: HTTP threads (8 kept by default), the read-deadline watcher, one query worker
        // per connection, the evictor, the /probe idle sweep
        assertThat(exporterThreads)
                .as("exporter threads %s", Threads.exporterNames())
                .isLessThanOrEqualTo(8 + 1 + CAP + 1 + 1);
        assertThat(allThreads).as("all threads").isLessThanOrEqualTo(warmAllThreads + 2);
    }

    private void scrapeMany(int n) {
        for (int i = 0; i < n; i++) {
            Http.Response r = Http.get(exporter.port(), "/metrics");
            scrapes++;
            assertThat(r.status()).isEqualTo(200);
            if (i % 25 == 0) {
                maxBackends = Math.max(maxBackends, db.monitorBackends());
                assertThat(PromText.parse(r.body()).value("pg_up")).contains(1.0);
            }
        }
    }

    // ---- scraping and judging ----

    private void fault() {
        faults++;
    }

    private PromText scrape() {
        Http.Response r = Http.scrape(exporter.port(), "/metrics", SCRAPE_TIMEOUT);
        scrapes++;
        watch.record("/metrics", r.body());
        if (r.took().compareTo(slowest) > 0) {
            slowest = r.took();
        }
        assertThat(r.status()).isEqualTo(200);
        // the exporter plans to answer 0.5 s before the timeout; the extra second is for a loaded CI
        // machine's scheduling, far below what a fault without a deadline would cost (10 s and more)
        assertThat(r.took())
                .as("scrape answered within the %s s Prometheus allows (+1 s slack)", SCRAPE_TIMEOUT.toSeconds())
                .isLessThanOrEqualTo(SCRAPE_TIMEOUT.plusSeconds(1));
        if (db.running()) {
            try {
                maxBackends = Math.max(maxBackends, db.monitorBackends());
            } catch (IllegalStateException full) {
                // max_connections reached: not countable now
            }
        }
        return PromText.parse(r.body());
    }

    /** Scrapes until everything is fine again; fails after 30 s. */
    private PromText awaitHealthy(String when) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int tries = 0;
        while (true) {
            PromText m = scrape();
            tries++;
            if (healthy(m)) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                assertHealthy(m, when + " (after " + tries + " scrapes)");
            }
            FaultyServer.sleep(200);
        }
    }

    private static boolean healthy(PromText m) {
        return m.value("pg_up").orElse(0.0) == 1.0
                && !m.find("pgmetrics_query_success").isEmpty()
                && m.find("pgmetrics_query_success").stream().allMatch(s -> s.value() == 1.0)
                && m.value("pg_exporter_last_scrape_error").orElse(1.0) == 0.0;
    }

    /** The scrape that found its kept connection dead: pg_up 0, every query still served on a new connection. */
    private static void assertLostButServed(PromText m, String when) {
        assertThat(m.value("pg_up")).as("pg_up %s", when).contains(0.0);
        assertThat(m.find("pgmetrics_query_success"))
                .as("queries that failed %s", when)
                .isNotEmpty()
                .allMatch(s -> s.value() == 1.0);
    }

    private static void assertHealthy(PromText m, String when) {
        assertThat(m.value("pg_up")).as("pg_up %s", when).contains(1.0);
        assertThat(m.find("pgmetrics_query_success"))
                .as("queries that failed %s", when)
                .isNotEmpty()
                .allMatch(s -> s.value() == 1.0);
        assertThat(m.value("pg_exporter_last_scrape_error"))
                .as("pg_exporter_last_scrape_error %s", when)
                .contains(0.0);
    }

    private static void assertDown(PromText m, String fault) {
        assertThat(m.value("pg_up")).as("pg_up with %s", fault).contains(0.0);
        assertThat(m.find("pgmetrics_query_success"))
                .as("per-query success with %s", fault)
                .isNotEmpty()
                .allMatch(s -> s.value() == 0.0);
        assertThat(m.find("pg_scrape_collector_success"))
                .as("per-collector success with %s", fault)
                .isNotEmpty()
                .allMatch(s -> s.value() == 0.0);
        assertThat(m.value("pg_exporter_last_scrape_error"))
                .as("pg_exporter_last_scrape_error with %s", fault)
                .contains(1.0);
        assertThat(m.has("pg_stat_database_xact_commit"))
                .as("no database metrics with %s", fault)
                .isFalse();
    }

    /** A query reported successful has its metrics in the scrape; a failed one has none. */
    private static void assertTruthfulPerQuery(PromText m) {
        for (PromText.Sample s : m.find("pgmetrics_query_success")) {
            if (s.labels().get("query").equals("pg_stat_database")) {
                assertThat(m.has("pg_stat_database_xact_commit"))
                        .as("pg_stat_database success=%s", s.value())
                        .isEqualTo(s.value() == 1.0);
            }
        }
    }
}
