package io.pgmetrics.core.publish;

import static io.pgmetrics.core.publish.BridgeDatabase.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.publish.dropwizard.DropwizardPublisher;
import io.pgmetrics.core.sample.Labels;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Dropwizard bridge on a real server, read as the pg_monitor role. */
class DropwizardPublisherTest {

    static BridgeDatabase db;
    static PgMetrics metrics;

    MetricRegistry registry = new MetricRegistry();

    @BeforeAll
    static void start() {
        db = new BridgeDatabase();
        metrics = db.metrics();
    }

    @AfterAll
    static void stop() {
        metrics.close();
        db.close();
    }

    @BeforeEach
    void resetCount() {
        db.collections.set(0);
    }

    private DropwizardPublisher publisher(Duration interval) {
        return new DropwizardPublisher(registry, db.counting(metrics), interval, "").start();
    }

    private double read(String name) {
        Gauge<?> gauge = registry.getGauges().get(name);
        assertThat(gauge).as("gauge " + name + " among " + registry.getNames()).isNotNull();
        return ((Number) gauge.getValue()).doubleValue();
    }

    /** What a reporter does once per report: read every gauge. */
    private void report() {
        registry.getGauges().values().forEach(Gauge::getValue);
    }

    @Test
    void gaugesHoldWhatTheDatabaseSays() {
        try (DropwizardPublisher p = publisher(Duration.ofHours(1))) {
            assertThat(registry.getNames())
                    .contains(
                            "pg_up",
                            "pg_database_size_bytes{datname=bridge_app}",
                            "pg_database_size_bytes{datname=postgres}",
                            "pg_stat_database_xact_commit{datname=bridge_app}",
                            "bridge_stock_quantity{item=apple}",
                            "pgmetrics_collections_total");
            assertThat(read("pg_up")).isEqualTo(1);
            assertThat(read("pg_database_size_bytes{datname=bridge_app}")).isEqualTo(db.databaseSize("bridge_app"));
            assertThat(read("bridge_stock_quantity{item=pear}")).isEqualTo(5);
        }
    }

    @Test
    void aCommitCounterGrowsWithCommittedTransactions() throws Exception {
        try (DropwizardPublisher p = publisher(Duration.ofMillis(200))) {
            String name = "pg_stat_database_xact_commit{datname=bridge_app}";
            double before = read(name);
            db.commitTransactions("bridge_app", 5);
            pause(Duration.ofMillis(250));
            double after = read(name);
            assertThat(after).isGreaterThanOrEqualTo(before + 5).isLessThanOrEqualTo(db.committed("bridge_app"));
        }
    }

    @Test
    void oneCollectionServesEveryGaugeOfAnInterval() {
        try (DropwizardPublisher p = publisher(Duration.ofMillis(700))) {
            assertThat(db.collections).hasValue(1);
            double engineCount = read("pgmetrics_collections_total");
            int gauges = registry.getGauges().size();
            assertThat(gauges).isGreaterThan(10);
            for (int i = 0; i < 5; i++) {
                report();
            }
            assertThat(db.collections)
                    .as("reads of %d gauges, five times, within the interval", gauges)
                    .hasValue(1);
            assertThat(read("pgmetrics_collections_total")).isEqualTo(engineCount);
            pause(Duration.ofMillis(750));
            report();
            report();
            assertThat(db.collections).hasValue(2);
            assertThat(read("pgmetrics_collections_total"))
                    .as("the engine ran once more")
                    .isEqualTo(engineCount + 1);
        }
    }

    @Test
    void seriesThatDisappearAreRemoved() {
        try (DropwizardPublisher p = publisher(Duration.ofMillis(100))) {
            assertThat(registry.getNames()).contains("pg_database_size_bytes{datname=bridge_gone}");
            db.server.superuserSql("INSERT INTO bridge_stock VALUES ('plum', 9)");
            pause(Duration.ofMillis(150));
            report();
            assertThat(read("bridge_stock_quantity{item=plum}")).isEqualTo(9);

            db.server.superuserSql("DROP DATABASE bridge_gone", "DELETE FROM bridge_stock WHERE item = 'plum'");
            pause(Duration.ofMillis(150));
            report();
            assertThat(registry.getNames())
                    .doesNotContain(
                            "pg_database_size_bytes{datname=bridge_gone}",
                            "pg_stat_database_xact_commit{datname=bridge_gone}",
                            "bridge_stock_quantity{item=plum}")
                    .contains("pg_database_size_bytes{datname=bridge_app}", "bridge_stock_quantity{item=apple}");
        }
    }

    @Test
    void closeRemovesEveryGaugeForGoodEvenWhenAReporterStillReadsOne() {
        DropwizardPublisher p = publisher(Duration.ofMillis(50));
        registry.counter("app_requests"); // the application's own metric stays
        Gauge<?> held = registry.getGauges().get("pg_up");
        p.close();
        assertThat(registry.getNames()).containsExactly("app_requests");
        pause(Duration.ofMillis(60));
        assertThat(((Number) held.getValue()).doubleValue()).isNaN();
        assertThat(registry.getNames()).containsExactly("app_requests");
        assertThat(db.collections).hasValue(1);
    }

    @Test
    void aFailingSupplierIsCalledOncePerIntervalNotOncePerGauge() {
        int[] calls = {0};
        Supplier<CollectionResult> failingAfterFirst = () -> {
            if (calls[0]++ > 0) {
                throw new IllegalStateException("collection failed");
            }
            return metrics.collect();
        };
        try (DropwizardPublisher p =
                new DropwizardPublisher(registry, failingAfterFirst, Duration.ofMillis(300), "").start()) {
            pause(Duration.ofMillis(350));
            report();
            report();
            assertThat(calls[0]).isEqualTo(2);
            assertThat(read("pg_up")).as("the last values stay").isEqualTo(1);
        }
    }

    @Test
    void aFirstCollectionThatFailsFailsTheStart() {
        Supplier<CollectionResult> failing = () -> {
            throw new IllegalStateException("no catalog");
        };
        DropwizardPublisher p = new DropwizardPublisher(registry, failing, Duration.ofMillis(300), "");
        assertThatThrownBy(p::start).hasMessage("no catalog");
        assertThat(registry.getNames()).isEmpty();
    }

    @Test
    void namesCarryLabelsInSelectorSpellingAfterThePrefix() {
        try (DropwizardPublisher p =
                new DropwizardPublisher(registry, db.counting(metrics), Duration.ofHours(1), "db").start()) {
            assertThat(p.nameOf("pg_locks_count", Labels.of("mode", "exclusivelock", "datname", "app")))
                    .isEqualTo("db.pg_locks_count{datname=app,mode=exclusivelock}");
            assertThat(registry.getNames())
                    .contains("db.pg_up", "db.bridge_stock_quantity{item=apple}")
                    .noneMatch(n -> !n.startsWith("db."));
        }
        assertThat(registry.getNames()).isEmpty();
    }
}
