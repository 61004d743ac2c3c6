package io.pgmetrics.core.connect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Connections from an application's own {@link DataSource} (often a HikariCP pool), for embedding
 * pgmetrics in an application. Every query borrows from the application's pool, so it competes
 * with the application's own work; a dedicated {@link PooledConnectionSource} avoids that.
 *
 * <ul>
 *   <li>Only the DataSource's database can be served ({@link #canSwitchDatabase()} is false); it is
 *       learnt from the first connection, and asking for another one fails.
 *   <li>{@link #checkFresh()} borrows a connection and checks it with {@code isValid(2)}: through a
 *       pool it cannot prove that the server accepts <em>new</em> connections.
 *   <li>{@link #discard} closes the connection, which gives it back to the application's pool;
 *       pools such as HikariCP retire a connection that failed with a connection error themselves.
 *   <li>{@link #close()} leaves the DataSource alone: the application owns it.
 * </ul>
 */
public final class DataSourceConnectionSource implements ConnectionSource {

    private static final int VALID_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;
    private final String description;
    private volatile String database;

    public DataSourceConnectionSource(DataSource dataSource) {
        this(dataSource, "application DataSource (" + dataSource.getClass().getName() + ")");
    }

    /** {@code description} names the source in logs; it must not contain a password. */
    public DataSourceConnectionSource(DataSource dataSource, String description) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public Connection connection(String requested) throws SQLException {
        Connection c = dataSource.getConnection();
        if (requested == null) {
            return c;
        }
        String current;
        try {
            current = database != null ? database : c.getCatalog();
            database = current;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        if (!requested.equals(current)) {
            closeQuietly(c);
            throw new SQLException(
                    "the application's DataSource serves database \"" + current + "\" only, not \"" + requested
                            + "\"; monitor other databases with a DSN",
                    "08004");
        }
        return c;
    }

    @Override
    public void checkFresh() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(VALID_TIMEOUT_SECONDS)) {
                throw new SQLException("the DataSource gave a connection that does not answer", "08006");
            }
        }
    }

    @Override
    public void discard(Connection connection) {
        closeQuietly(connection);
    }

    @Override
    public boolean canSwitchDatabase() {
        return false;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Does nothing: the application owns its DataSource. */
    @Override
    public void close() {}

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // already broken: the pool it came from deals with it
        }
    }
}
