package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom queries written to hurt: sleeping past their timeout, returning a million rows, writing,
 * changing role or session settings, escaping the read-only transaction, or not even parsing. Given
 * a monitoring role that was granted far too much (it may write to a table and create in a schema),
 * nothing changes in the database, the queries fail or are cut and are counted, and the scrape
 * still answers in time with everything else in it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileQueriesTest {

    static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(5);
    static final String M = PgServer.MONITOR_USER;

    @RegisterExtension
    static final LeakWatch watch = new LeakWatch().watch(M, PgServer.MONITOR_PASSWORD);

    @TempDir
    static Path dir;

    static PgServer pg;
    static Exporter exporter;
    static int hostileQueries;

    /** postgres_exporter's format (--extend.query-path). */
    static final String LEGACY = """
            legacy_sleep:
              query: "SELECT 1 AS v FROM pg_sleep(30)"
              metrics:
                - v: {usage: GAUGE, description: "never arrives"}
            legacy_million:
              query: "SELECT g::text AS id, 1 AS v FROM generate_series(1, 1000000) g"
              metrics:
                - id: {usage: LABEL, description: "row"}
                - v: {usage: GAUGE, description: "one per row"}
            legacy_insert:
              query: "INSERT INTO victim VALUES (1) RETURNING id AS v"
              metrics:
                - v: {usage: GAUGE, description: "inserted"}
            legacy_syntax:
              query: "SELEC 1 AS v"
              metrics:
                - v: {usage: GAUGE, description: "never parses"}
            """;

    /** Our format, one query per trick; each returns a column v so that it would export something. */
    static final String OURS = """
            queries:
              - name: canary
                help: the session the queries get, checked on every scrape
                sql: |
                  SELECT (current_user = session_user AND current_user = '%1$s')::int AS as_monitor,
                         (current_setting('transaction_read_only') = 'on')::int AS read_only,
                         (current_setting('default_transaction_read_only') = 'off')::int AS default_untouched,
                         (current_setting('search_path') = '"$user", public')::int AS search_path_untouched
                columns:
                  - {name: as_monitor, usage: GAUGE}
                  - {name: read_only, usage: GAUGE}
                  - {name: default_untouched, usage: GAUGE}
                  - {name: search_path_untouched, usage: GAUGE}
              - name: ours_sleep
                timeout: 1s
                sql: SELECT 1 AS v FROM pg_sleep(30)
                columns: [{name: v, usage: GAUGE}]
              - name: ours_million
                max_rows: 1000
                sql: SELECT g::text AS id, 1 AS v FROM generate_series(1, 1000000) g
                columns: [{name: id, usage: LABEL}, {name: v, usage: GAUGE}]
              - name: ours_insert_cte
                sql: WITH w AS (INSERT INTO victim VALUES (2) RETURNING id) SELECT count(*) AS v FROM w
                columns: [{name: v, usage: GAUGE}]
              - name: ours_update
                sql: WITH w AS (UPDATE victim SET id = id + 1 RETURNING id) SELECT count(*) AS v FROM w
                columns: [{name: v, usage: GAUGE}]
              - name: ours_nextval
                sql: SELECT nextval('victim_seq') AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_create
                sql: SELECT 1 AS v FROM (SELECT 1) s WHERE false; CREATE TABLE scratch.escaped (id int)
                columns: [{name: v, usage: GAUGE}]
              - name: ours_set_role
                sql: SET ROLE %2$s
                columns: [{name: v, usage: GAUGE}]
              - name: ours_set_role_then_select
                sql: SET ROLE %2$s; SELECT 1 AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_reset_authorization
                sql: RESET SESSION AUTHORIZATION; SELECT 1 AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_read_write_default
                sql: SELECT set_config('default_transaction_read_only', 'off', false) AS s, 1 AS v
                columns: [{name: s, usage: LABEL}, {name: v, usage: GAUGE}]
              - name: ours_search_path
                sql: SELECT set_config('search_path', 'scratch', false) AS s, 1 AS v
                columns: [{name: s, usage: LABEL}, {name: v, usage: GAUGE}]
              - name: ours_read_write_transaction
                sql: SET TRANSACTION READ WRITE; INSERT INTO victim VALUES (3); SELECT 1 AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_commit_then_insert
                sql: COMMIT; INSERT INTO victim VALUES (4); SELECT 1 AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_commit_then_set_role
                sql: COMMIT; SET ROLE %2$s; SELECT 1 AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_commit_then_read_write
                sql: COMMIT; SET default_transaction_read_only = off; SELECT 1 AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_predicate_escape
                predicate: COMMIT; INSERT INTO victim VALUES (5); SELECT true
                sql: SELECT 1 AS v
                columns: [{name: v, usage: GAUGE}]
              - name: ours_syntax
                sql: SELECT FROM WHERE v
                columns: [{name: v, usage: GAUGE}]
            """;

    /** Queries that must not succeed (the sleepers time out, the others fail). */
    static final List<String> MUST_FAIL = List.of(
            "legacy_sleep",
            "legacy_insert",
            "legacy_syntax",
            "ours_sleep",
            "ours_insert_cte",
            "ours_update",
            "ours_nextval",
            "ours_create",
            "ours_set_role",
            "ours_set_role_then_select",
            "ours_read_write_transaction",
            "ours_commit_then_insert",
            "ours_commit_then_set_role",
            "ours_commit_then_read_write",
            "ours_reset_authorization",
            "ours_predicate_escape",
            "ours_syntax");

    @BeforeAll
    static void start() throws Exception {
        pg = SharedServer.get();
        // a monitoring role granted far too much: the read-only transaction is what must hold
        pg.superuserSql(
                "DROP TABLE IF EXISTS victim",
                "DROP SEQUENCE IF EXISTS victim_seq",
                "DROP SCHEMA IF EXISTS scratch CASCADE",
                "CREATE TABLE victim (id int)",
                "CREATE SEQUENCE victim_seq",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON victim TO " + M,
                "GRANT USAGE, UPDATE ON victim_seq TO " + M,
                "CREATE SCHEMA scratch",
                "GRANT USAGE, CREATE ON SCHEMA scratch TO " + M,
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgm_writer') THEN CREATE ROLE pgm_writer; END IF; END $$",
                "GRANT pgm_writer TO " + M);
        Path legacy = Files.writeString(dir.resolve("legacy.yaml"), LEGACY);
        Path ours = Files.writeString(dir.resolve("ours.yaml"), OURS.formatted(M, "pgm_writer"));
        hostileQueries = 4 + 18; // legacy + ours (the canary included)
        exporter = Exporter.start(ExporterConfig.builder()
                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .target(pg.monitorDsn())
                .collectors(Collectors.only("static"))
                .legacyQueryFiles(List.of(legacy))
                .catalogFiles(List.of(ours))
                .queryTimeout(Duration.ofSeconds(1))
                .build());
    }

    @AfterAll
    static void stop() {
        if (exporter != null) {
            watch.record("landing page", Http.get(exporter.port(), "/").body());
            exporter.close();
        }
        Figures.add("hostile custom queries", hostileQueries);
    }

    @Test
    void everyTrickFailsOrIsCutNothingChangesAndTheScrapeAnswersInTime() throws Exception {
        String before = databaseState();
        PromText first = null;
        PromText last = null;
        int scrapes = 3;
        for (int i = 0; i < scrapes; i++) {
            Http.Response r = Http.scrape(exporter.port(), "/metrics", SCRAPE_TIMEOUT);
            watch.record("/metrics", r.body());
            assertThat(r.status()).isEqualTo(200);
            // as in DatabaseFaultsTest: the exporter aims 0.5 s under the timeout; 1 s more is CI scheduling slack
            assertThat(r.took())
                    .as("scrape %d answered within %s (+1 s slack)", i + 1, SCRAPE_TIMEOUT)
                    .isLessThanOrEqualTo(SCRAPE_TIMEOUT.plusSeconds(1));
            last = PromText.parse(r.body());
            first = first == null ? last : first;

            assertThat(last.value("pg_up")).contains(1.0);
            assertThat(last.value("pg_static"))
                    .as("the built-in queries still run")
                    .contains(1.0);
            for (String q : MUST_FAIL) {
                assertThat(last.value("pgmetrics_query_success", "query", q))
                        .as("success of %s", q)
                        .contains(0.0);
            }
            // the session every query gets is the monitoring role's, read-only, with default settings
            for (String c : List.of("as_monitor", "read_only", "default_untouched", "search_path_untouched")) {
                assertThat(last.value("canary_" + c))
                        .as("canary %s in scrape %d", c, i + 1)
                        .contains(1.0);
            }
            assertThat(last.value("pgmetrics_query_success", "query", "ours_read_write_default"))
                    .contains(1.0);
            assertThat(databaseState())
                    .as("the database after scrape %d", i + 1)
                    .isEqualTo(before);
        }
        // the million rows: cut at max_rows (ours 1000, legacy's default 10 000), counted, and still a success
        assertThat(last.value("pgmetrics_query_rows", "query", "ours_million")).contains(1000.0);
        assertThat(last.value("pgmetrics_query_rows", "query", "legacy_million"))
                .contains(10_000.0);
        assertThat(last.find("ours_million_v")).hasSize(1000);
        assertThat(last.value("pgmetrics_query_truncated_total", "query", "ours_million"))
                .contains((double) scrapes);
        assertThat(last.value("pgmetrics_query_truncated_total", "query", "legacy_million"))
                .contains((double) scrapes);
        assertThat(last.value("pgmetrics_query_success", "query", "ours_million"))
                .contains(1.0);
        // every failure is counted, once per scrape
        for (String q : MUST_FAIL) {
            assertThat(last.value("pgmetrics_query_errors_total", "query", q))
                    .as("errors of %s", q)
                    .contains((double) scrapes);
        }
        assertThat(first.has("legacy_sleep_v")).isFalse();
        // the cancelled sleepers did not stay behind on the server
        assertThat(sleepersOnServer()).as("pg_sleep backends left running").isZero();
        assertThat(pg.monitorBackends()).isLessThanOrEqualTo(2);
    }

    /** What the hostile queries would change: rows, the sequence, objects in the scratch schema, role settings. */
    private static String databaseState() throws Exception {
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT (SELECT count(*) FROM victim), (SELECT last_value FROM victim_seq),"
                                + " (SELECT is_called FROM victim_seq), (SELECT count(*) FROM pg_class WHERE relnamespace = 'scratch'::regnamespace),"
                                + " (SELECT count(*) FROM pg_db_role_setting)")) {
            rs.next();
            return "rows=" + rs.getLong(1) + " seq=" + rs.getLong(2) + "/" + rs.getBoolean(3) + " scratch="
                    + rs.getLong(4) + " role_settings=" + rs.getLong(5);
        }
    }

    private static int sleepersOnServer() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try (Connection c = pg.superuserConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(30)%'"
                                    + " AND pid <> pg_backend_pid()")) {
                rs.next();
                int n = rs.getInt(1);
                if (n == 0 || System.nanoTime() > deadline) {
                    return n;
                }
            }
            FaultyServer.sleep(100);
        }
    }
}
