package io.pgmetrics.examples.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.publish.micrometer.MicrometerBinder;
import io.pgmetrics.examples.shop.ShopApp;
import io.pgmetrics.queries.BuiltinCatalog;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * An application on Micrometer that binds its database's metrics to its own {@link MeterRegistry},
 * next to its own meters (any registry: Prometheus, Datadog, OTLP; a simple one here):
 *
 * <pre>java ... io.pgmetrics.examples.micrometer.MicrometerApp 'jdbc:postgresql://localhost:5432/shop?user=..&amp;password=..'</pre>
 *
 * <p>Labels become tags; counters become FunctionCounters named without {@code _total} (Micrometer's
 * Prometheus registry adds it back). In Spring Boot, pgmetrics-spring-boot-starter does this wiring.
 */
public final class MicrometerApp implements AutoCloseable {

    private final PgMetrics pgMetrics;
    private final MicrometerBinder binder;
    private final Counter ordersPlaced;

    private MicrometerApp(PgMetrics pgMetrics, MicrometerBinder binder, Counter ordersPlaced) {
        this.pgMetrics = pgMetrics;
        this.binder = binder;
        this.ordersPlaced = ordersPlaced;
    }

    /** The application's counter and the database's meters on one registry. */
    public static MicrometerApp start(DataSource dataSource, MeterRegistry registry, Duration interval) {
        Counter ordersPlaced = registry.counter("shop.orders.placed"); // the application's own meter
        PgMetrics pgMetrics = PgMetrics.builder()
                .dataSource(dataSource)
                .catalog(BuiltinCatalog.load())
                .build();
        MicrometerBinder binder = new MicrometerBinder(pgMetrics::collect, interval);
        binder.bindTo(registry);
        return new MicrometerApp(pgMetrics, binder, ordersPlaced);
    }

    public Counter ordersPlaced() {
        return ordersPlaced;
    }

    @Override
    public void close() {
        binder.close();
        pgMetrics.close();
    }

    /** One line: the application's orders next to what the database says. */
    public static String summary(MeterRegistry registry) {
        Search commits = registry.find("pg_stat_database_xact_commit").tag("datname", "shop");
        Search size = registry.find("pg_database_size_bytes").tag("datname", "shop");
        return String.format(
                "orders placed %.0f | pg_up %.0f | shop: commits %.0f, size %.0f bytes",
                registry.counter("shop.orders.placed").count(),
                registry.find("pg_up").gauge() == null
                        ? Double.NaN
                        : registry.find("pg_up").gauge().value(),
                commits.functionCounter() == null
                        ? Double.NaN
                        : commits.functionCounter().count(),
                size.gauge() == null ? Double.NaN : size.gauge().value());
    }

    public static void main(String[] args) {
        ShopApp.Arguments a = ShopApp.Arguments.parse(args, MicrometerApp.class, 0);
        MeterRegistry registry = new SimpleMeterRegistry();
        Duration interval = Duration.ofSeconds(10);
        MicrometerApp app = start(a.dataSource(), registry, interval);
        ShopApp shop = ShopApp.start(a.dataSource(), app.ordersPlaced()::increment);
        ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
        printer.scheduleAtFixedRate(
                () -> System.out.println(summary(registry)), 0, interval.toSeconds(), TimeUnit.SECONDS);
        ShopApp.closeOnExit(app, shop, printer::shutdownNow);
        System.out.println(registry.getMeters().size() + " meters on the application's registry (Ctrl-C to stop)");
    }
}
