package io.pgmetrics.core.publish;

import static io.pgmetrics.core.publish.BridgeDatabase.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.publish.micrometer.MicrometerBinder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Micrometer bridge on a real server, read as the pg_monitor role. */
class MicrometerBinderTest {

    static BridgeDatabase db;
    static PgMetrics metrics;

    MeterRegistry registry = new SimpleMeterRegistry();

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

    private MicrometerBinder bound(Duration interval) {
        MicrometerBinder binder = new MicrometerBinder(db.counting(metrics), interval);
        binder.bindTo(registry);
        return binder;
    }

    private static Gauge gauge(MeterRegistry registry, String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        assertThat(g)
                .as("gauge %s%s among %s", name, List.of(tags), names(registry))
                .isNotNull();
        return g;
    }

    private static FunctionCounter counter(MeterRegistry registry, String name, String... tags) {
        FunctionCounter c = registry.find(name).tags(tags).functionCounter();
        assertThat(c)
                .as("counter %s%s among %s", name, List.of(tags), names(registry))
                .isNotNull();
        return c;
    }

    private static List<String> names(MeterRegistry registry) {
        return registry.getMeters().stream()
                .map(m -> m.getId().getName() + m.getId().getTags())
                .sorted()
                .toList();
    }

    /** What a registry does once per step or scrape: measure every meter. */
    private void publish() {
        registry.getMeters().forEach(m -> m.measure().forEach(measurement -> measurement.getValue()));
    }

    @Test
    void metersHoldWhatTheDatabaseSaysWithLabelsAsTags() {
        try (MicrometerBinder b = bound(Duration.ofHours(1))) {
            assertThat(gauge(registry, "pg_up").value()).isEqualTo(1);
            assertThat(gauge(registry, "pg_database_size_bytes", "datname", "bridge_app")
                            .value())
                    .isEqualTo(db.databaseSize("bridge_app"));
            assertThat(gauge(registry, "bridge_stock_quantity", "item", "apple").value())
                    .isEqualTo(3);
            Gauge size = gauge(registry, "pg_database_size_bytes", "datname", "postgres");
            assertThat(size.getId().getDescription()).isEqualTo("Disk space used by the database.");
            // counters are FunctionCounters, without the _total that Micrometer's Prometheus registry adds back
            assertThat(counter(registry, "pgmetrics_collections").count()).isPositive();
            assertThat(registry.find("pgmetrics_collections_total").meters()).isEmpty();
            assertThat(counter(registry, "pg_stat_database_xact_commit", "datname", "bridge_app")
                            .getId()
                            .getTags())
                    .isEqualTo(Tags.of("datname", "bridge_app").stream().toList());
        }
    }

    @Test
    void aCommitCounterGrowsWithCommittedTransactions() throws Exception {
        try (MicrometerBinder b = bound(Duration.ofMillis(200))) {
            FunctionCounter commits = counter(registry, "pg_stat_database_xact_commit", "datname", "bridge_app");
            double before = commits.count();
            db.commitTransactions("bridge_app", 5);
            pause(Duration.ofMillis(250));
            double after = commits.count();
            assertThat(after).isGreaterThanOrEqualTo(before + 5).isLessThanOrEqualTo(db.committed("bridge_app"));
        }
    }

    @Test
    void oneCollectionServesEveryMeterOfEveryRegistryInAnInterval() {
        MeterRegistry second = new SimpleMeterRegistry();
        try (MicrometerBinder b = bound(Duration.ofMillis(700))) {
            b.bindTo(second);
            assertThat(db.collections)
                    .as("binding a second registry within the interval")
                    .hasValue(1);
            double engineCount = counter(registry, "pgmetrics_collections").count();
            assertThat(registry.getMeters()).hasSizeGreaterThan(10).hasSameSizeAs(second.getMeters());
            for (int i = 0; i < 5; i++) {
                publish();
                second.getMeters().forEach(Meter::measure);
            }
            assertThat(db.collections).hasValue(1);
            pause(Duration.ofMillis(750));
            publish();
            second.getMeters().forEach(Meter::measure);
            assertThat(db.collections).hasValue(2);
            assertThat(counter(second, "pgmetrics_collections").count()).isEqualTo(engineCount + 1);
        }
    }

    @Test
    void seriesThatDisappearAreRemovedFromEveryRegistry() {
        MeterRegistry second = new SimpleMeterRegistry();
        try (MicrometerBinder b = bound(Duration.ofMillis(100))) {
            b.bindTo(second);
            db.server.superuserSql("INSERT INTO bridge_stock VALUES ('fig', 4)");
            pause(Duration.ofMillis(150));
            publish();
            assertThat(gauge(registry, "bridge_stock_quantity", "item", "fig").value())
                    .isEqualTo(4);
            assertThat(gauge(second, "bridge_stock_quantity", "item", "fig").value())
                    .isEqualTo(4);
            assertThat(gauge(second, "pg_database_size_bytes", "datname", "bridge_gone")
                            .value())
                    .isPositive();

            db.server.superuserSql("DROP DATABASE bridge_gone", "DELETE FROM bridge_stock WHERE item = 'fig'");
            pause(Duration.ofMillis(150));
            publish();
            for (MeterRegistry r : List.of(registry, second)) {
                assertThat(r.find("bridge_stock_quantity").tag("item", "fig").meters())
                        .isEmpty();
                assertThat(r.find("pg_database_size_bytes")
                                .tag("datname", "bridge_gone")
                                .meters())
                        .isEmpty();
                assertThat(r.find("pg_stat_database_xact_commit")
                                .tag("datname", "bridge_gone")
                                .meters())
                        .isEmpty();
                assertThat(gauge(r, "bridge_stock_quantity", "item", "apple").value())
                        .isEqualTo(3);
            }
        }
    }

    @Test
    void theMetersKeepTheBinderAliveWithoutAReferenceToIt() {
        new MicrometerBinder(db.counting(metrics), Duration.ofMillis(1)).bindTo(registry);
        FunctionCounter commits = counter(registry, "pg_stat_database_xact_commit", "datname", "postgres");
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        pause(Duration.ofMillis(5));
        assertThat(commits.count()).isPositive();
        assertThat(gauge(registry, "pg_up").value()).isEqualTo(1);
        registry.getMeters().forEach(registry::remove);
    }

    @Test
    void closeRemovesEveryMeterForGoodEvenWhenARegistryStillReadsOne() {
        MicrometerBinder b = bound(Duration.ofMillis(50));
        registry.counter("app_requests"); // the application's own meter stays
        Gauge held = gauge(registry, "pg_up");
        b.close();
        assertThat(names(registry)).containsExactly("app_requests[]");
        pause(Duration.ofMillis(60));
        assertThat(held.value()).isNaN();
        assertThat(names(registry)).containsExactly("app_requests[]");
        assertThat(db.collections).hasValue(1);
    }
}
