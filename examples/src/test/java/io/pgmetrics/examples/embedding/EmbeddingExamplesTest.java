package io.pgmetrics.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgmetrics.examples.Eventually;
import io.pgmetrics.examples.Scrape;
import io.pgmetrics.examples.ShopDatabase;
import io.pgmetrics.examples.agent.SampleApp;
import io.pgmetrics.examples.dropwizard.DropwizardApp;
import io.pgmetrics.examples.micrometer.MicrometerApp;
import io.pgmetrics.examples.prometheus.PrometheusApp;
import io.pgmetrics.examples.shop.ShopApp;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The embedding examples on a real server: each application publishes its own business metric and
 * the database's metrics on one registry, and the database's commit counter grows as it works.
 */
class EmbeddingExamplesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    static ShopDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = new ShopDatabase();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void prometheusAppServesItsOwnAndTheDatabasesMetricsOnOneEndpoint() throws Exception {
        try (PrometheusApp app = PrometheusApp.start(db.dataSource(), new PrometheusRegistry(), 0);
                ShopApp shop = ShopApp.start(db.dataSource(), app.ordersPlaced()::inc)) {
            URI metrics = URI.create("http://localhost:" + app.port() + "/metrics");
            Scrape first = Scrape.of(metrics);
            assertThat(first.value("pg_up")).hasValue(1);
            assertThat(first.value("pg_database_size_bytes", "datname", "shop").orElseThrow())
                    .isPositive();
            double commits = first.value("pg_stat_database_xact_commit", "datname", "shop")
                    .orElseThrow();
            Eventually.until(PATIENCE, "orders counted and committed", () -> {
                Scrape s = Scrape.of(metrics);
                return s.value("shop_orders_placed_total").orElse(0) >= 2
                        && s.value("pg_stat_database_xact_commit", "datname", "shop")
                                        .orElseThrow()
                                > commits;
            });
        }
    }

    @Test
    void dropwizardAppHasTheDatabasesGaugesNextToItsMeter() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (DropwizardApp app = DropwizardApp.start(db.dataSource(), registry, Duration.ofMillis(200));
                ShopApp shop = ShopApp.start(db.dataSource(), app.ordersPlaced()::mark)) {
            assertThat(registry.getGauges().get("postgres.pg_up").getValue()).isEqualTo(1.0);
            String commitsName = registry.getGauges().keySet().stream()
                    .filter(n -> n.startsWith("postgres.pg_stat_database_xact_commit{") && n.endsWith(",datname=shop}"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no commit gauge of shop among " + registry.getNames()));
            Gauge<?> commits = registry.getGauges().get(commitsName);
            double before = ((Number) commits.getValue()).doubleValue();
            Eventually.until(
                    PATIENCE,
                    "orders marked and committed",
                    () -> app.ordersPlaced().getCount() >= 2 && ((Number) commits.getValue()).doubleValue() > before);
            assertThat(registry.getMeters()).containsKey("shop.orders.placed");
        }
        assertThat(registry.getNames())
                .as("closing the app removes the database's gauges")
                .containsExactly("shop.orders.placed");
    }

    @Test
    void micrometerAppHasTheDatabasesMetersNextToItsCounter() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (MicrometerApp app = MicrometerApp.start(db.dataSource(), registry, Duration.ofMillis(200));
                ShopApp shop = ShopApp.start(db.dataSource(), app.ordersPlaced()::increment)) {
            assertThat(registry.get("pg_up").gauge().value()).isEqualTo(1);
            FunctionCounter commits = registry.get("pg_stat_database_xact_commit")
                    .tag("datname", "shop")
                    .functionCounter();
            double before = commits.count();
            Eventually.until(
                    PATIENCE,
                    "orders counted and committed",
                    () -> app.ordersPlaced().count() >= 2 && commits.count() > before);
            assertThat(MicrometerApp.summary(registry)).contains("| pg_up 1 |").startsWith("orders placed ");
        }
    }

    private static Optional<PGSimpleDataSource> dataSource(Properties properties, Map<String, String> env) {
        return Optional.ofNullable(SampleApp.dataSource(properties, env));
    }

    @Test
    void theAgentsSampleAppTakesItsDatabaseFromSpringSettingsAndWorks() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("spring.datasource.url", db.jdbcUrl());
        properties.setProperty("spring.datasource.username", ShopDatabase.APP_USER);
        properties.setProperty("spring.datasource.password", ShopDatabase.APP_PASSWORD);
        Optional<PGSimpleDataSource> dataSource = dataSource(properties, Map.of());
        assertThat(dataSource(
                        new Properties(),
                        Map.of(
                                "SPRING_DATASOURCE_URL",
                                db.jdbcUrl(),
                                "SPRING_DATASOURCE_USERNAME",
                                ShopDatabase.APP_USER)))
                .map(PGSimpleDataSource::getUser)
                .contains(ShopDatabase.APP_USER);
        assertThat(dataSource(new Properties(), Map.of())).isEmpty();

        long before = db.count("SELECT count(*) FROM orders");
        try (ShopApp shop = ShopApp.start(dataSource.orElseThrow(), () -> {})) {
            Eventually.until(
                    PATIENCE,
                    "the sample app places orders",
                    () -> db.count("SELECT count(*) FROM orders") >= before + 2);
        }
    }
}
