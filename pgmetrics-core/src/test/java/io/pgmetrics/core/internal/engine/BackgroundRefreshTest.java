package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.testing.PgServer;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A query that refreshes in the background (the built-in database sizes) is in every collection:
 * the first collection waits for it, later ones serve its last rows, and once its ttl has passed it
 * is read again after the collection, so a slow read never makes a collection wait.
 */
class BackgroundRefreshTest {

    static PgServer pg;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        pg.superuserSql(
                "CREATE TABLE bg_value (v float8 NOT NULL, sleep_seconds float8 NOT NULL)",
                "INSERT INTO bg_value VALUES (1, 0)",
                "GRANT SELECT ON bg_value TO PUBLIC");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static final Duration TTL = Duration.ofSeconds(1);

    /** The table's value, after sleeping as long as the table says (a slow statement, like pg_database_size). */
    private static final QueryDef SLOW_VALUE = QueryDef.builder("bg_value")
            .sql("SELECT v, pg_sleep(sleep_seconds)::text AS slept FROM bg_value")
            .column(ColumnDef.gauge("v", ""))
            .ttl(TTL)
            .refreshInBackground(true)
            .build();

    @Test
    void servedInEveryCollectionAndReadAgainAfterTheTtlWithoutMakingACollectionWait() throws Exception {
        try (PgMetrics m = PgMetrics.builder()
                .dsn(pg.monitorDsn())
                .catalog(Catalog.of(SLOW_VALUE))
                .build()) {
            CollectionResult first = m.collect();
            assertThat(value(first))
                    .as("the first collection waits for the first read")
                    .isEqualTo(1.0);
            assertThat(outcome(first).cached()).isFalse();

            // the next read will take 3 s (the default timeout is 5 s) and see 2
            pg.superuserSql("UPDATE bg_value SET v = 2, sleep_seconds = 3");
            Thread.sleep(TTL.toMillis() + 200);
            Instant before = Instant.now();
            CollectionResult stale = m.collect();
            Duration took = Duration.between(before, Instant.now());
            assertThat(value(stale))
                    .as("past its ttl the last rows are served while they are read again")
                    .isEqualTo(1.0);
            assertThat(outcome(stale).cached()).isTrue();
            assertThat(took).as("the collection did not wait for the 3 s read").isLessThan(Duration.ofMillis(2500));

            // every collection while the slow read runs still has the series, and the new value comes
            Instant giveUp = Instant.now().plusSeconds(60);
            CollectionResult now = m.collect();
            while (value(now) != 2.0 && Instant.now().isBefore(giveUp)) {
                Thread.sleep(100);
                now = m.collect();
            }
            assertThat(value(now)).as("read again in the background").isEqualTo(2.0);
        } finally {
            pg.superuserSql("UPDATE bg_value SET v = 1, sleep_seconds = 0");
        }
    }

    @Test
    void aFailedRefreshMakesTheNextCollectionReadItItselfAndSayWhy() throws Exception {
        pg.superuserSql(
                "CREATE TABLE bg_fails (v float8)",
                "INSERT INTO bg_fails VALUES (3)",
                "GRANT SELECT ON bg_fails TO PUBLIC");
        QueryDef fails = QueryDef.builder("bg_fails")
                .sql("SELECT v FROM bg_fails")
                .column(ColumnDef.gauge("v", ""))
                .ttl(TTL)
                .refreshInBackground(true)
                .build();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(pg.monitorDsn())
                .catalog(Catalog.of(fails))
                .build()) {
            assertThat(m.collect().family("bg_fails_v")).isPresent();
            pg.superuserSql("REVOKE SELECT ON bg_fails FROM PUBLIC");
            Thread.sleep(TTL.toMillis() + 200);
            // served once more, while the refresh fails; then no stale rows: the collection reads and reports
            Instant giveUp = Instant.now().plusSeconds(30);
            CollectionResult c = m.collect();
            while (outcome(c, "bg_fails").status() == QueryOutcome.Status.OK
                    && Instant.now().isBefore(giveUp)) {
                Thread.sleep(100);
                c = m.collect();
            }
            assertThat(outcome(c, "bg_fails").status()).isEqualTo(QueryOutcome.Status.FAILED);
            assertThat(outcome(c, "bg_fails").message())
                    .hasValueSatisfying(e -> assertThat(e).contains("permission denied"));
        } finally {
            pg.superuserSql("DROP TABLE bg_fails");
        }
    }

    @Test
    void refreshingInTheBackgroundNeedsATtl() {
        Assertions.assertThatThrownBy(() -> QueryDef.builder("bg_no_ttl")
                        .sql("SELECT 1 AS v")
                        .column(ColumnDef.gauge("v", ""))
                        .refreshInBackground(true)
                        .build())
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("refresh_in_background")
                .hasMessageContaining("needs a ttl");
    }

    private static double value(CollectionResult c) {
        return c.family("bg_value_v")
                .orElseThrow(() -> new AssertionError("bg_value_v missing: " + c.outcomes()))
                .value(Labels.EMPTY)
                .orElseThrow();
    }

    private static QueryOutcome outcome(CollectionResult c) {
        return outcome(c, "bg_value");
    }

    private static QueryOutcome outcome(CollectionResult c, String query) {
        return c.outcomes().stream()
                .filter(o -> o.query().equals(query))
                .findFirst()
                .orElseThrow();
    }
}
