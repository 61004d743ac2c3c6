package io.pgmetrics.core.connect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the engine gets its connections: an application's DataSource, or pgmetrics' own small pool.
 *
 * <p>Contract the engine relies on: {@link #connection} returns a connection whose {@code close()}
 * gives it back to the source; after an error that may have broken it, the engine calls
 * {@link #discard} instead of {@code close()}.
 */
public interface ConnectionSource extends AutoCloseable {

    /** A connection to {@code database}, or to the default database when it is null. */
    Connection connection(String database) throws SQLException;

    /** Proves that a new connection can be opened right now (a server refusing new connections fails this). */
    void checkFresh() throws SQLException;

    /** Closes a connection that may be broken instead of giving it back. */
    void discard(Connection connection);

    /** Whether {@link #connection} accepts databases other than the default. */
    boolean canSwitchDatabase();

    /** Where this source connects, without any secret. */
    String describe();

    @Override
    void close();
}
