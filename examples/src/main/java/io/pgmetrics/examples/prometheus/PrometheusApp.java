package io.pgmetrics.examples.prometheus;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.examples.shop.ShopApp;
import io.pgmetrics.queries.BuiltinCatalog;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import javax.sql.DataSource;

/**
 * An application that publishes its database's metrics on its own Prometheus client_java registry,
 * next to its own metrics, at its own {@code /metrics}:
 *
 * <pre>java ... io.pgmetrics.examples.prometheus.PrometheusApp 'jdbc:postgresql://localhost:5432/shop?user=..&amp;password=..' [port]</pre>
 */
public final class PrometheusApp implements AutoCloseable {

    private final PgMetrics pgMetrics;
    private final HTTPServer server;
    private final Counter ordersPlaced;

    private PrometheusApp(PgMetrics pgMetrics, HTTPServer server, Counter ordersPlaced) {
        this.pgMetrics = pgMetrics;
        this.server = server;
        this.ordersPlaced = ordersPlaced;
    }

    /** Registers the application's metrics and the database's on one registry and serves them on {@code port} (0: any). */
    public static PrometheusApp start(DataSource dataSource, PrometheusRegistry registry, int port) throws IOException {
        // the application's own metric
        Counter ordersPlaced = Counter.builder()
                .name("shop_orders_placed")
                .help("Orders placed by this application.")
                .register(registry);

        // Embedding in ten lines (examples/README.md shows exactly these lines)
        PgMetrics pgMetrics = PgMetrics.builder()
                .dataSource(dataSource) // the application's pool; its role needs pg_monitor
                .catalog(BuiltinCatalog.load()) // postgres_exporter's metrics, and more
                .build();
        pgMetrics.register(registry); // next to the application's own metrics
        HTTPServer server = HTTPServer.builder() // or the /metrics endpoint the application has
                .port(port)
                .registry(registry)
                .buildAndStart();
        // end of the ten lines

        return new PrometheusApp(pgMetrics, server, ordersPlaced);
    }

    public int port() {
        return server.getPort();
    }

    /** The application's business metric; the workload counts each order it places. */
    public Counter ordersPlaced() {
        return ordersPlaced;
    }

    @Override
    public void close() {
        server.close();
        pgMetrics.close();
    }

    public static void main(String[] args) throws Exception {
        ShopApp.Arguments a = ShopApp.Arguments.parse(args, PrometheusApp.class, 9400);
        PrometheusApp app = start(a.dataSource(), PrometheusRegistry.defaultRegistry, a.port());
        ShopApp shop = ShopApp.start(a.dataSource(), app.ordersPlaced()::inc);
        ShopApp.closeOnExit(app, shop);
        System.out.println("metrics of the application and its database: http://localhost:" + app.port() + "/metrics"
                + " (Ctrl-C to stop)");
    }
}
