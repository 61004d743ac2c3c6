package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.testing.PgServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database's queries go to the server together, in one round trip, each in its own read-only
 * transaction: what one changes in its session is undone before the next, and one that fails never
 * hides the others. (The default database's work is shared by two connections, every other query
 * each, so the queries these tests are about are placed first, third and fifth.)
 */
class QueriesTogetherTest {

    private static final String ROLE = "pgm_together";

    static PgServer pg;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        pg.superuserSql("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'pw'", "GRANT pg_monitor TO " + ROLE);
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static String dsn() {
        return "postgresql://" + ROLE + ":pw@localhost:" + pg.port() + "/postgres?sslmode=disable";
    }

    private static QueryDef gauge(String name, String sql) {
        return QueryDef.builder(name).sql(sql).column(ColumnDef.gauge("v", "")).build();
    }

    @Test
    void oneFailingQueryCostsOnlyItself() throws Exception {
        Catalog catalog = Catalog.of(
                gauge("tg_before", "SELECT 1 AS v"),
                gauge("tg_other_lane", "SELECT 0 AS v"),
                gauge("tg_fails", "SELECT 1 / (SELECT count(*) FROM pg_database WHERE datname = 'none') AS v"),
                gauge("tg_other_lane_too", "SELECT 0 AS v"),
                gauge("tg_after", "SELECT 2 AS v"));
        try (PgMetrics m = PgMetrics.builder().dsn(dsn()).catalog(catalog).build()) {
            for (int round = 0; round < 3; round++) {
                CollectionResult c = m.collect();
                assertThat(c.failures()).extracting(QueryOutcome::query).containsExactly("tg_fails");
                assertThat(value(c, "tg_before_v")).isEqualTo(1.0);
                assertThat(value(c, "tg_after_v")).isEqualTo(2.0);
            }
        }
    }

    @Test
    void aQueryChangingItsSessionDoesNotChangeTheNextOne() {
        Catalog catalog = Catalog.of(
                gauge(
                        "tg_changes",
                        "SELECT length(set_config('statement_timeout', '1234', false))::int"
                                + " + length(set_config('default_transaction_read_only', 'off', false)) AS v"),
                gauge("tg_other_lane", "SELECT 0 AS v"),
                gauge(
                        "tg_sees",
                        "SELECT (current_setting('statement_timeout') <> '1234ms'"
                                + " AND current_setting('transaction_read_only') = 'on')::int AS v"));
        try (PgMetrics m = PgMetrics.builder().dsn(dsn()).catalog(catalog).build()) {
            for (int round = 0; round < 2; round++) {
                CollectionResult c = m.collect();
                assertThat(c.failures()).isEmpty();
                assertThat(value(c, "tg_sees_v"))
                        .as("the second query in its own read-only transaction, the first one's change undone")
                        .isEqualTo(1.0);
            }
        }
    }

    @Test
    void aQueryThatIsNotOneStatementIsRefusedAndTheOthersRun() {
        Catalog catalog = Catalog.of(
                gauge("tg_first", "SELECT 3 AS v"),
                gauge("tg_other_lane", "SELECT 0 AS v"),
                gauge("tg_two", "SELECT 1 AS v; SELECT 2 AS v"),
                gauge("tg_other_lane_too", "SELECT 0 AS v"),
                gauge("tg_last", "SELECT 4 AS v"));
        try (PgMetrics m = PgMetrics.builder().dsn(dsn()).catalog(catalog).build()) {
            CollectionResult c = m.collect();
            assertThat(c.failures()).extracting(QueryOutcome::query).containsExactly("tg_two");
            assertThat(c.failures().get(0).message().orElseThrow()).contains("a query must be one statement");
            assertThat(value(c, "tg_first_v")).isEqualTo(3.0);
            assertThat(value(c, "tg_last_v")).isEqualTo(4.0);
        }
    }

    @Test
    void aQueryPastItsTimeoutCostsOnlyItself() {
        Catalog catalog = Catalog.of(
                gauge("tg_first", "SELECT 5 AS v"),
                gauge("tg_other_lane", "SELECT 0 AS v"),
                QueryDef.builder("tg_sleeps")
                        .sql("SELECT 1 AS v FROM pg_sleep(30)")
                        .column(ColumnDef.gauge("v", ""))
                        .timeout(Duration.ofMillis(500))
                        .build(),
                gauge("tg_other_lane_too", "SELECT 0 AS v"),
                gauge("tg_last", "SELECT 6 AS v"));
        // the others' limit, and so the session's statement_timeout, longer than the collection: only the
        // client's cancelling can end the round trip in time for them to run again on their own
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn())
                .catalog(catalog)
                .queryTimeout(Duration.ofSeconds(60))
                .build()) {
            CollectionResult c = m.collect();
            assertThat(c.failures()).extracting(QueryOutcome::query).containsExactly("tg_sleeps");
            assertThat(c.failures().get(0).status()).isEqualTo(QueryOutcome.Status.TIMED_OUT);
            assertThat(value(c, "tg_first_v")).isEqualTo(5.0);
            assertThat(value(c, "tg_last_v")).isEqualTo(6.0);
        }
    }

    private static double value(CollectionResult c, String family) {
        return c.family(family).orElseThrow().value(Labels.EMPTY).orElseThrow();
    }
}
