package io.pgmetrics.examples.dropwizard;

import com.codahale.metrics.ConsoleReporter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.publish.dropwizard.DropwizardPublisher;
import io.pgmetrics.examples.shop.ShopApp;
import io.pgmetrics.queries.BuiltinCatalog;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * An application on Dropwizard Metrics that publishes its database's metrics on its own
 * {@link MetricRegistry}, next to its own, and reports a few of them to the console:
 *
 * <pre>java ... io.pgmetrics.examples.dropwizard.DropwizardApp 'jdbc:postgresql://localhost:5432/shop?user=..&amp;password=..'</pre>
 *
 * <p>Dropwizard has no labels: a series is one gauge named like a Prometheus selector, e.g.
 * {@code postgres.pg_stat_database_xact_commit{datid=16388,datname=shop}}. Reading every gauge of
 * a report costs one collection (at most one per interval); gauges of vanished series go away.
 */
public final class DropwizardApp implements AutoCloseable {

    private final PgMetrics pgMetrics;
    private final DropwizardPublisher publisher;
    private final Meter ordersPlaced;

    private DropwizardApp(PgMetrics pgMetrics, DropwizardPublisher publisher, Meter ordersPlaced) {
        this.pgMetrics = pgMetrics;
        this.publisher = publisher;
        this.ordersPlaced = ordersPlaced;
    }

    /** The application's meter and the database's gauges (prefix {@code postgres.}) on one registry. */
    public static DropwizardApp start(DataSource dataSource, MetricRegistry registry, Duration interval) {
        Meter ordersPlaced = registry.meter("shop.orders.placed"); // the application's own metric
        PgMetrics pgMetrics = PgMetrics.builder()
                .dataSource(dataSource)
                .catalog(BuiltinCatalog.load())
                .build();
        DropwizardPublisher publisher =
                new DropwizardPublisher(registry, pgMetrics::collect, interval, "postgres").start();
        return new DropwizardApp(pgMetrics, publisher, ordersPlaced);
    }

    public Meter ordersPlaced() {
        return ordersPlaced;
    }

    @Override
    public void close() {
        publisher.close();
        pgMetrics.close();
    }

    public static void main(String[] args) {
        ShopApp.Arguments a = ShopApp.Arguments.parse(args, DropwizardApp.class, 0);
        MetricRegistry registry = new MetricRegistry();
        Duration interval = Duration.ofSeconds(10);
        DropwizardApp app = start(a.dataSource(), registry, interval);
        ShopApp shop = ShopApp.start(a.dataSource(), app.ordersPlaced()::mark);
        // every gauge is there for any reporter (JMX, Graphite, ...); the console gets a few
        ConsoleReporter reporter = ConsoleReporter.forRegistry(registry)
                .filter((name, metric) -> name.startsWith("shop.")
                        || name.equals("postgres.pg_up")
                        || name.startsWith("postgres.pg_stat_database_xact_commit{")
                        || name.startsWith("postgres.pg_database_size_bytes{"))
                .build();
        reporter.start(interval.toSeconds(), TimeUnit.SECONDS);
        ShopApp.closeOnExit(app, shop, reporter);
        System.out.println("the database's metrics and the application's are on one MetricRegistry;"
                + " the console shows a few every " + interval.toSeconds() + " s (Ctrl-C to stop)");
    }
}
