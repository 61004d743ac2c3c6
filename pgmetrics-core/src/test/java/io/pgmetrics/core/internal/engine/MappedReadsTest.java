package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.testing.PgServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rows are mapped to samples once per read, on the lane that read them: a collection that serves a
 * read again (its ttl not passed) hands out the very samples of that read, and a new read replaces
 * them; rows that do not fit the declaration fail the query there, with the reason.
 */
class MappedReadsTest {

    static PgServer pg;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        pg.superuserSql(
                "CREATE TABLE mapped_value (name text NOT NULL, v float8 NOT NULL)",
                "INSERT INTO mapped_value VALUES ('a', 1), ('b', 2)",
                "GRANT SELECT ON mapped_value TO PUBLIC");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void aCachedReadIsServedAsItsSamplesAndANewReadReplacesThem() throws Exception {
        QueryDef cached = QueryDef.builder("mapped_value")
                .sql("SELECT name, v FROM mapped_value ORDER BY name")
                .column(ColumnDef.label("name"))
                .column(ColumnDef.gauge("v", ""))
                .ttl(TTL)
                .build();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(pg.monitorDsn())
                .catalog(Catalog.of(cached))
                .build()) {
            MetricFamily first = family(m.collect());
            pg.superuserSql("UPDATE mapped_value SET v = v * 10");
            CollectionResult again = m.collect();
            assertThat(outcome(again).cached()).isTrue();
            assertThat(family(again))
                    .as("served from the cache: the samples of the first read, not mapped again")
                    .isSameAs(first);

            Thread.sleep(TTL.toMillis() + 200);
            CollectionResult fresh = m.collect();
            assertThat(outcome(fresh).cached()).isFalse();
            assertThat(family(fresh).samples())
                    .as("a new read replaces the samples")
                    .extracting(s -> s.labels().get("name").orElseThrow() + "=" + s.value())
                    .containsExactly("a=10.0", "b=20.0");
        } finally {
            pg.superuserSql("UPDATE mapped_value SET v = v / 10");
        }
    }

    @Test
    void rowsThatDoNotFitTheDeclarationFailTheQueryWithTheReason() {
        QueryDef wrong = QueryDef.builder("mapped_wrong")
                .sql("SELECT name, v AS value FROM mapped_value")
                .column(ColumnDef.label("name"))
                .column(ColumnDef.gauge("v", ""))
                .ttl(TTL)
                .build();
        QueryDef right = QueryDef.builder("mapped_right")
                .sql("SELECT count(*) AS n FROM mapped_value")
                .column(ColumnDef.gauge("n", ""))
                .build();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(pg.monitorDsn())
                .catalog(Catalog.of(wrong, right))
                .build()) {
            for (int i = 0; i < 2; i++) { // the second time: nothing of the failed read was cached
                CollectionResult c = m.collect();
                QueryOutcome o = c.outcomes().stream()
                        .filter(x -> x.query().equals("mapped_wrong"))
                        .findFirst()
                        .orElseThrow();
                assertThat(o.status()).isEqualTo(QueryOutcome.Status.FAILED);
                assertThat(o.cached()).isFalse();
                assertThat(o.message()).hasValueSatisfying(e -> assertThat(e).contains("declared column(s) v"));
                assertThat(c.family("mapped_wrong_v")).isEmpty();
                assertThat(c.family("mapped_right_n"))
                        .as("the other query of the same round trip is mapped")
                        .isPresent();
            }
        }
    }

    private static MetricFamily family(CollectionResult c) {
        return c.family("mapped_value_v").orElseThrow(() -> new AssertionError("missing: " + c.outcomes()));
    }

    private static QueryOutcome outcome(CollectionResult c) {
        return c.outcomes().stream()
                .filter(o -> o.query().equals("mapped_value"))
                .findFirst()
                .orElseThrow();
    }
}
