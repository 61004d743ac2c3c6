package io.pgmetrics.examples.shop;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The small online shop the examples run: orders, a job queue that sends their e-mails, stock.
 * Its SQL is the kind an application runs; the examples' business metrics
 * ({@code custom/business-metrics.yaml}) read these tables.
 */
public final class Shop {

    /** The tables, created by the demo and by the tests. */
    public static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS orders (
                id         bigserial PRIMARY KEY,
                customer   text NOT NULL,
                status     text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
                amount     numeric(10, 2) NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX IF NOT EXISTS orders_by_status ON orders (status);
            CREATE TABLE IF NOT EXISTS jobs (
                id          bigserial PRIMARY KEY,
                queue       text NOT NULL,
                status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
                created_at  timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz
            );
            CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (queue, created_at) WHERE status = 'pending';
            CREATE TABLE IF NOT EXISTS stock (
                sku      text PRIMARY KEY,
                quantity int NOT NULL
            );
            INSERT INTO stock VALUES ('apple', 500), ('pear', 300), ('fig', 100) ON CONFLICT DO NOTHING;
            """;

    private final DataSource dataSource;

    public Shop(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the tables (idempotent). */
    public static void createSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(SCHEMA);
        }
    }

    /** Places an order, takes it from stock and queues its confirmation e-mail, in one transaction. */
    public long placeOrder(String customer, String sku, BigDecimal amount) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement order =
                            c.prepareStatement("INSERT INTO orders (customer, amount) VALUES (?, ?) RETURNING id");
                    PreparedStatement take =
                            c.prepareStatement("UPDATE stock SET quantity = quantity - 1 WHERE sku = ?");
                    PreparedStatement mail = c.prepareStatement("INSERT INTO jobs (queue) VALUES ('emails')")) {
                order.setString(1, customer);
                order.setBigDecimal(2, amount);
                long id;
                try (ResultSet rs = order.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                take.setString(1, sku);
                take.executeUpdate();
                mail.executeUpdate();
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Moves up to {@code n} orders one step on: new to paid, paid to shipped. */
    public int advanceOrders(int n) throws SQLException {
        return update("""
                UPDATE orders SET status = CASE status WHEN 'new' THEN 'paid' ELSE 'shipped' END, updated_at = now()
                 WHERE id IN (SELECT id FROM orders WHERE status IN ('new', 'paid') ORDER BY updated_at LIMIT ?)
                """, n);
    }

    /** Works off up to {@code n} of the oldest pending jobs of a queue. */
    public int processJobs(String queue, int n) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("""
                        UPDATE jobs SET status = 'done', finished_at = now()
                         WHERE id IN (SELECT id FROM jobs WHERE queue = ? AND status = 'pending'
                                       ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
                        """)) {
            st.setString(1, queue);
            st.setInt(2, n);
            return st.executeUpdate();
        }
    }

    /** Deletes shipped orders and finished jobs older than {@code seconds} (they leave dead rows for autovacuum). */
    public int purge(int seconds) throws SQLException {
        return update(
                        "DELETE FROM orders WHERE status = 'shipped' AND updated_at < now() - make_interval(secs => ?)",
                        seconds)
                + update(
                        "DELETE FROM jobs WHERE status = 'done' AND finished_at < now() - make_interval(secs => ?)",
                        seconds);
    }

    private int update(String sql, int parameter) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setInt(1, parameter);
            return st.executeUpdate();
        }
    }
}
