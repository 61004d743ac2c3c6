package io.pgmetrics.examples.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.engine.Collection;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.examples.ShopDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The business-metrics queries in both formats against tables with known rows, read as the
 * pg_monitor role: the same metric names, types, labels and values, and the values the rows say.
 */
class BusinessMetricsTest {

    static ShopDatabase db;
    static Collection ours;
    static Collection legacy;

    @BeforeAll
    static void collectBoth() throws Exception {
        db = new ShopDatabase();
        db.server().superuserSqlIn("shop",
                "INSERT INTO orders (customer, status, amount) VALUES ('a', 'new', 10.00), ('b', 'new', 5.50), ('c', 'new', 1.25),"
                        + " ('d', 'paid', 100.00), ('e', 'paid', 0.99), ('f', 'shipped', 42.00)",
                "INSERT INTO jobs (queue, status, created_at) VALUES ('emails', 'pending', now() - interval '1 hour'),"
                        + " ('emails', 'pending', now() - interval '5 minutes'), ('emails', 'pending', now()),"
                        + " ('emails', 'done', now()), ('reports', 'done', now()), ('reports', 'done', now())");
        // our format: database scope, so the monitoring role's usual connection (postgres) is enough
        ours = collect(BusinessMetrics.catalog(), db.server().monitorDsn("postgres"));
        // postgres_exporter's format: the queries run where the connection points, as postgres_exporter does
        legacy = collect(BusinessMetrics.legacyCatalog(), db.server().monitorDsn("shop"));
    }

    private static Collection collect(Catalog catalog, String dsn) {
        try (PgMetrics m = PgMetrics.builder().dsn(dsn).catalog(catalog).build()) {
            Collection c = m.collect();
            assertThat(c.failures()).as("query failures").isEmpty();
            return c;
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** The shop's families: name → type and series. */
    private static Map<String, Map<Labels, Double>> business(Collection c, Map<String, MetricType> types) {
        Map<String, Map<Labels, Double>> out = new TreeMap<>();
        for (MetricFamily f : c.families()) {
            if (f.name().startsWith("shop_")) {
                types.put(f.name(), f.type());
                Map<Labels, Double> series = new TreeMap<>();
                for (Sample s : f.samples()) {
                    series.put(s.labels(), s.value());
                }
                out.put(f.name(), series);
            }
        }
        return out;
    }

    @Test
    void bothFormatsGiveTheSameMetrics() {
        Map<String, MetricType> ourTypes = new TreeMap<>();
        Map<String, MetricType> legacyTypes = new TreeMap<>();
        Map<String, Map<Labels, Double>> a = business(ours, ourTypes);
        Map<String, Map<Labels, Double>> b = business(legacy, legacyTypes);
        assertThat(a.keySet()).containsExactly("shop_job_queue_depth", "shop_job_queue_done", "shop_job_queue_lag_seconds",
                "shop_orders_amount", "shop_orders_count");
        assertThat(b.keySet()).isEqualTo(a.keySet());
        assertThat(legacyTypes).isEqualTo(ourTypes);
        for (String name : a.keySet()) {
            assertThat(b.get(name).keySet()).as(name).isEqualTo(a.get(name).keySet());
            for (Labels labels : a.get(name).keySet()) {
                // the lag is measured at each collection's own now()
                double tolerance = name.endsWith("_lag_seconds") ? 5 : 0;
                assertThat(b.get(name).get(labels)).as(name + labels).isCloseTo(a.get(name).get(labels), within(tolerance));
            }
        }
    }

    @Test
    void theValuesAreWhatTheTablesHold() {
        Map<String, Map<Labels, Double>> m = business(ours, new TreeMap<>());
        assertThat(m.get("shop_orders_count")).containsExactlyInAnyOrderEntriesOf(Map.of(
                Labels.of("datname", "shop", "status", "new"), 3.0,
                Labels.of("datname", "shop", "status", "paid"), 2.0,
                Labels.of("datname", "shop", "status", "shipped"), 1.0));
        assertThat(m.get("shop_orders_amount").get(Labels.of("datname", "shop", "status", "new"))).isCloseTo(16.75, within(1e-9));
        assertThat(m.get("shop_orders_amount").get(Labels.of("datname", "shop", "status", "paid"))).isCloseTo(100.99, within(1e-9));
        Labels emails = Labels.of("datname", "shop", "queue", "emails");
        Labels reports = Labels.of("datname", "shop", "queue", "reports");
        assertThat(m.get("shop_job_queue_depth")).containsEntry(emails, 3.0).containsEntry(reports, 0.0);
        assertThat(m.get("shop_job_queue_done")).containsEntry(emails, 1.0).containsEntry(reports, 2.0);
        assertThat(m.get("shop_job_queue_lag_seconds").get(emails)).isBetween(3600.0, 3660.0);
        assertThat(m.get("shop_job_queue_lag_seconds").get(reports)).isZero();
        assertThat(ours.family("shop_job_queue_done").orElseThrow().type()).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void theLegacyFileLoadsWithoutWarnings() throws Exception {
        try (var in = BusinessMetrics.class.getResourceAsStream(BusinessMetrics.LEGACY_RESOURCE)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(LegacyQueriesYaml.read(text, "business-metrics-legacy.yaml").warnings()).isEmpty();
        }
    }
}
