package io.pgmetrics.examples.custom;

import static io.pgmetrics.test.PgMetricsAssertions.assertThatCatalog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import io.pgmetrics.examples.shop.Shop;
import io.pgmetrics.test.CatalogRunAssert;
import io.pgmetrics.test.PostgresServer;
import io.pgmetrics.test.PostgresServers;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The business-metrics queries, checked the way a query author checks theirs with pgmetrics-test: both files
 * load, cover every supported major, run as a pg_monitor role on PostgreSQL 13 to 18 and yield the families
 * and labels they declare; then both formats give the same metrics, with the values the tables hold.
 */
class BusinessMetricsTest {

    static final Path OURS = Path.of("src/main/resources/io/pgmetrics/examples/custom/business-metrics.yaml");
    static final Path LEGACY = Path.of("src/main/resources/io/pgmetrics/examples/custom/business-metrics-legacy.yaml");

    // postgres_exporter runs its queries where the connection points: the shop database
    @RegisterExtension
    static final PostgresServers servers = PostgresServers.embedded(13, 14, 15, 16, 17, 18)
            .setup("CREATE DATABASE shop")
            .setupIn(
                    "shop",
                    Shop.SCHEMA,
                    "INSERT INTO orders (customer, status, amount) VALUES ('a', 'new', 10.00), ('b', 'new', 5.50),"
                            + " ('c', 'new', 1.25), ('d', 'paid', 100.00), ('e', 'paid', 0.99),"
                            + " ('f', 'shipped', 42.00)",
                    "INSERT INTO jobs (queue, status, created_at) VALUES"
                            + " ('emails', 'pending', now() - interval '1 hour'),"
                            + " ('emails', 'pending', now() - interval '5 minutes'), ('emails', 'pending', now()),"
                            + " ('emails', 'done', now()), ('reports', 'done', now()), ('reports', 'done', now())",
                    "GRANT SELECT ON orders, jobs TO " + PostgresServer.MONITOR_ROLE)
            .monitorDatabase("shop");

    static CatalogRunAssert ours;
    static CatalogRunAssert legacy;

    @BeforeAll
    static void runBothFormatsOnEveryMajor() {
        ours = assertThatCatalog(OURS)
                .hasOneVariantPerMajor(servers)
                .runsOn(servers)
                .yieldsDeclaredFamilies()
                .yields("shop_orders_count", "datname", "status");
        legacy = assertThatCatalog(LEGACY)
                .hasNoWarnings()
                .hasOneVariantPerMajor(servers)
                .runsOn(servers)
                .yieldsDeclaredFamilies()
                .yields("shop_orders_count", "datname", "status");
    }

    /** The shop's families: name → series. */
    private static Map<String, Map<Labels, Double>> business(CollectionResult c, Map<String, MetricType> types) {
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
        for (int major : servers.majors()) {
            Map<String, MetricType> ourTypes = new TreeMap<>();
            Map<String, MetricType> legacyTypes = new TreeMap<>();
            Map<String, Map<Labels, Double>> a = business(ours.collection(major), ourTypes);
            Map<String, Map<Labels, Double>> b = business(legacy.collection(major), legacyTypes);
            assertThat(a.keySet())
                    .as("PostgreSQL " + major)
                    .containsExactly(
                            "shop_job_queue_depth",
                            "shop_job_queue_done",
                            "shop_job_queue_lag_seconds",
                            "shop_orders_amount",
                            "shop_orders_count");
            assertThat(b.keySet()).isEqualTo(a.keySet());
            assertThat(legacyTypes).isEqualTo(ourTypes);
            for (String name : a.keySet()) {
                assertThat(b.get(name).keySet()).as(name).isEqualTo(a.get(name).keySet());
                for (Labels labels : a.get(name).keySet()) {
                    // the lag is measured at each collection's own now()
                    double tolerance = name.endsWith("_lag_seconds") ? 30 : 0;
                    assertThat(b.get(name).get(labels))
                            .as(name + labels)
                            .isCloseTo(a.get(name).get(labels), within(tolerance));
                }
            }
        }
    }

    @Test
    void theValuesAreWhatTheTablesHold() {
        for (int major : servers.majors()) {
            CollectionResult c = ours.collection(major);
            Map<String, Map<Labels, Double>> m = business(c, new TreeMap<>());
            assertThat(m.get("shop_orders_count"))
                    .as("PostgreSQL " + major)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            Labels.of("datname", "shop", "status", "new"), 3.0,
                            Labels.of("datname", "shop", "status", "paid"), 2.0,
                            Labels.of("datname", "shop", "status", "shipped"), 1.0));
            assertThat(m.get("shop_orders_amount").get(Labels.of("datname", "shop", "status", "new")))
                    .isCloseTo(16.75, within(1e-9));
            assertThat(m.get("shop_orders_amount").get(Labels.of("datname", "shop", "status", "paid")))
                    .isCloseTo(100.99, within(1e-9));
            Labels emails = Labels.of("datname", "shop", "queue", "emails");
            Labels reports = Labels.of("datname", "shop", "queue", "reports");
            assertThat(m.get("shop_job_queue_depth")).containsEntry(emails, 3.0).containsEntry(reports, 0.0);
            assertThat(m.get("shop_job_queue_done")).containsEntry(emails, 1.0).containsEntry(reports, 2.0);
            // the rows were written when the server started, a little before this collection
            assertThat(m.get("shop_job_queue_lag_seconds").get(emails)).isBetween(3600.0, 3900.0);
            assertThat(m.get("shop_job_queue_lag_seconds").get(reports)).isZero();
            assertThat(c.family("shop_job_queue_done").orElseThrow().type()).isEqualTo(MetricType.COUNTER);
        }
    }
}
