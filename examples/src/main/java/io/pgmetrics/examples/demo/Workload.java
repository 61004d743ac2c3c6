package io.pgmetrics.examples.demo;

import io.pgmetrics.examples.shop.Shop;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A small live workload, so that the demo's metrics move: orders placed, paid and shipped, a job
 * queue worked off (and one that falls behind), a rolled-back order now and then, analytics events,
 * purges that leave dead rows for autovacuum, a report query for pg_stat_statements, and every 45
 * seconds a session that sits idle in a transaction for 15 seconds, holding a row lock.
 */
final class Workload implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Workload.class.getName());
    private static final Duration TICK = Duration.ofMillis(250);
    private static final List<String> CUSTOMERS = List.of("ada", "grace", "edsger", "barbara", "donald", "frances");

    private final Shop shop;
    private final DataSource shopDb;
    private final DataSource analyticsDb;
    private final Random random = new Random(42);
    private final Thread business;
    private final Thread idleSession;
    private volatile boolean stopping;
    private long lastWarning;

    Workload(DataSource shopDb, DataSource analyticsDb) {
        this.shop = new Shop(shopDb);
        this.shopDb = shopDb;
        this.analyticsDb = analyticsDb;
        this.business = new Thread(this::runBusiness, "demo-workload");
        this.idleSession = new Thread(this::runIdleSession, "demo-idle-in-transaction");
        business.setDaemon(true);
        idleSession.setDaemon(true);
    }

    Workload start() {
        business.start();
        idleSession.start();
        return this;
    }

    private void runBusiness() {
        for (long tick = 0; !stopping; tick++) {
            try {
                step(tick);
            } catch (SQLException e) {
                warn(e);
            }
            if (!sleep(TICK)) {
                return;
            }
        }
    }

    private void step(long tick) throws SQLException {
        String customer = CUSTOMERS.get(random.nextInt(CUSTOMERS.size()));
        shop.placeOrder(
                customer, random.nextBoolean() ? "apple" : "pear", BigDecimal.valueOf(500 + random.nextInt(9500), 2));
        if (tick % 2 == 0) {
            shop.advanceOrders(3);
        }
        if (tick % 3 == 0) {
            shop.processJobs("emails", 4); // a little faster than orders come in: the queue stays short
        }
        if (tick % 8 == 0) {
            enqueueReport(); // the reports queue is worked off slowly: its lag grows, then drops
        }
        if (tick % 120 == 60) {
            shop.processJobs("reports", 100);
        }
        if (tick % 20 == 10) {
            abandonedOrder();
        }
        if (tick % 4 == 0) {
            analyticsEvents(20);
        }
        if (tick % 10 == 0) {
            salesReport();
        }
        if (tick % 240 == 200) {
            shop.purge(30);
        }
    }

    private void enqueueReport() throws SQLException {
        try (Connection c = shopDb.getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO jobs (queue) VALUES ('reports')");
        }
    }

    /** An order that is rolled back: xact_rollback grows. */
    private void abandonedOrder() throws SQLException {
        try (Connection c = shopDb.getConnection();
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO orders (customer, amount) VALUES ('window-shopper', 1.00)");
            c.rollback();
        }
    }

    private void analyticsEvents(int n) throws SQLException {
        try (Connection c = analyticsDb.getConnection();
                PreparedStatement st = c.prepareStatement("INSERT INTO events (kind, data) VALUES (?, ?::jsonb)")) {
            for (int i = 0; i < n; i++) {
                st.setString(1, random.nextInt(4) == 0 ? "checkout" : "page_view");
                st.setString(2, "{\"page\": " + random.nextInt(50) + "}");
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** A heavier query, so that pg_stat_statements has something to rank. */
    private void salesReport() throws SQLException {
        try (Connection c = shopDb.getConnection();
                Statement st = c.createStatement()) {
            st.executeQuery("""
                    SELECT customer, status, count(*), sum(amount), max(updated_at - created_at)
                      FROM orders GROUP BY customer, status ORDER BY 4 DESC
                    """).close();
        }
    }

    /** Every 45 seconds: a transaction left open for 15 seconds with a row locked (what a forgotten commit looks like). */
    private void runIdleSession() {
        if (!sleep(Duration.ofSeconds(3))) {
            return;
        }
        while (!stopping) {
            try (Connection c = shopDb.getConnection();
                    Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.executeUpdate("UPDATE stock SET quantity = quantity WHERE sku = 'fig'");
                boolean slept = sleep(Duration.ofSeconds(15));
                c.commit();
                if (!slept) {
                    return;
                }
            } catch (SQLException e) {
                warn(e);
            }
            if (!sleep(Duration.ofSeconds(30))) {
                return;
            }
        }
    }

    /** Connection failures are expected while the demo stops (Ctrl-C stops PostgreSQL too); others, once a minute. */
    private void warn(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (stopping || state.startsWith("08") || state.startsWith("57P")) {
            LOG.log(System.Logger.Level.DEBUG, "workload: " + e.getMessage());
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (lastWarning != 0 && now - lastWarning < TimeUnit.MINUTES.toNanos(1)) {
                return;
            }
            lastWarning = now;
        }
        LOG.log(System.Logger.Level.WARNING, "workload: " + e.getMessage());
    }

    /** False when interrupted (the demo stops). */
    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops both threads and waits for them (open transactions end with their connections). */
    @Override
    public void close() {
        stopping = true;
        business.interrupt();
        idleSession.interrupt();
        try {
            business.join(5_000);
            idleSession.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
