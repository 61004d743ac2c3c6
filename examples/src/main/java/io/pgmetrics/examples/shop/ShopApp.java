package io.pgmetrics.examples.shop;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The business side of the example applications: a thread that places an order every half second
 * and works off the e-mail queue, telling the application about each order (so it can count it in
 * its own metrics). It is not a daemon thread: it keeps an example running until Ctrl-C.
 */
public final class ShopApp implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ShopApp.class.getName());
    private static final Duration PACE = Duration.ofMillis(500);

    private final Shop shop;
    private final Runnable onOrderPlaced;
    private final Thread thread;
    private volatile boolean stopping;

    private ShopApp(DataSource dataSource, Runnable onOrderPlaced) {
        this.shop = new Shop(dataSource);
        this.onOrderPlaced = onOrderPlaced;
        this.thread = new Thread(this::run, "shop-app");
    }

    /** Starts placing orders; {@code onOrderPlaced} runs after each one. */
    public static ShopApp start(DataSource dataSource, Runnable onOrderPlaced) {
        ShopApp app = new ShopApp(dataSource, onOrderPlaced);
        app.thread.start();
        return app;
    }

    private void run() {
        long n = 0;
        while (!stopping) {
            try {
                shop.placeOrder(
                        n % 3 == 0 ? "ada" : "grace",
                        n % 2 == 0 ? "apple" : "pear",
                        BigDecimal.valueOf(1999 + n % 7, 2));
                onOrderPlaced.run();
                if (n % 4 == 0) {
                    shop.advanceOrders(2);
                    shop.processJobs("emails", 3);
                }
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "shop: " + e.getMessage());
            }
            n++;
            try {
                Thread.sleep(PACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the resources, last first, when the JVM stops (Ctrl-C). */
    public static void closeOnExit(AutoCloseable... resources) {
        List<AutoCloseable> reversed = Arrays.asList(resources.clone());
        java.util.Collections.reverse(reversed);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (AutoCloseable r : reversed) {
                                try {
                                    r.close();
                                } catch (Exception e) {
                                    LOG.log(System.Logger.Level.DEBUG, "while stopping: " + e);
                                }
                            }
                        },
                        "example-shutdown"));
    }

    /**
     * An example's command line: the shop database's JDBC URL (user and password as URL parameters),
     * from the first argument or {@code SHOP_DATABASE_URL}, and an optional port.
     */
    public record Arguments(DataSource dataSource, int port) {

        public static Arguments parse(String[] args, Class<?> main, int defaultPort) {
            String url = args.length > 0 ? args[0] : System.getenv().getOrDefault("SHOP_DATABASE_URL", "");
            if (!url.startsWith("jdbc:postgresql:")) {
                System.err.println(
                        "usage: " + main.getName() + " <jdbc:postgresql://host:port/shop?user=..&password=..> [port]\n"
                                + "  (or SHOP_DATABASE_URL; the demo prints one: see examples/README.md)");
                System.exit(2);
            }
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setApplicationName(main.getSimpleName());
            int port = defaultPort;
            if (args.length > 1) {
                try {
                    port = Integer.parseInt(args[1]);
                } catch (NumberFormatException e) {
                    System.err.println("the port '" + args[1] + "' is not a number");
                    System.exit(2);
                }
            }
            return new Arguments(ds, port);
        }
    }
}
