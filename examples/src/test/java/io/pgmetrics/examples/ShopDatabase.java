package io.pgmetrics.examples;

import io.pgmetrics.examples.shop.Shop;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real server with the examples' shop database, owned by an application role that is a member of
 * {@code pg_monitor} (the embedding examples read statistics through the application's own pool).
 */
public final class ShopDatabase implements AutoCloseable {

    public static final String APP_USER = "shop_app";
    public static final String APP_PASSWORD = "shop-Test-pw";

    private final PgServer server;

    public ShopDatabase() throws SQLException {
        server = PgServer.start(PgServer.defaultMajor());
        server.superuserSql(
                "CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'",
                "GRANT pg_monitor TO " + APP_USER,
                "CREATE DATABASE shop OWNER " + APP_USER);
        try (Connection c = dataSource().getConnection();
                Statement st = c.createStatement()) {
            Shop.createSchema(c);
            st.execute("GRANT SELECT ON orders, jobs, stock TO " + PgServer.MONITOR_USER);
        }
    }

    public PgServer server() {
        return server;
    }

    /** The application's JDBC URL of the shop database, without credentials. */
    public String jdbcUrl() {
        return server.jdbcUrl("shop");
    }

    /** A data source of the application role in the shop database. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        ds.setUser(APP_USER);
        ds.setPassword(APP_PASSWORD);
        return ds;
    }

    /** A number the test reads with SQL of its own, as the superuser. */
    public long count(String sql) throws SQLException {
        try (Connection c = server.superuserConnection("shop");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
