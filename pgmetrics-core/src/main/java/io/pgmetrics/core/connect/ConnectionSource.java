package io.pgmetrics.core.connect;

import io.pgmetrics.core.internal.connect.ConnectionFailures;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the engine gets its connections: an application's {@code DataSource}
 * ({@link DataSourceConnectionSource}), or pgmetrics' own small pool built from a {@link Dsn}
 * ({@link PooledConnectionSource}).
 *
 * <p>Contract: {@link #connection} returns a connection whose {@code close()} gives it back to the
 * source. After an error that may have broken it, the caller calls {@link #discard} (before or
 * after {@code close()}; both orders are safe) so that it is not handed out again. Implementations
 * are thread-safe, and no message or description they produce contains a password.
 */
public interface ConnectionSource extends AutoCloseable {

    /**
     * A connection to {@code database}, or to the default database when it is null.
     *
     * @throws SQLException if no connection can be had (server down, refused, all busy, or a
     *     database this source cannot switch to); the message names the server, never the password
     */
    Connection connection(String database) throws SQLException;

    /**
     * Proves that a new connection can be opened right now; this is {@code pg_up}. A server that
     * refuses new connections fails this even while connections opened earlier still work.
     */
    void checkFresh() throws SQLException;

    /** Drops a connection that may be broken instead of giving it back. Null is ignored. */
    void discard(Connection connection);

    /**
     * Drops a connection found {@link ConnectionFailures#lost lost}, and whatever else is likely gone
     * with it: a restart or a terminated role ends every idle connection too, and lending those one
     * by one would make the single retry fail again. Default: {@link #discard}.
     */
    default void lost(Connection connection) {
        discard(connection);
    }

    /**
     * Says that a collection needs no more connections to {@code database} (null: the default one),
     * so that a source with a connection cap may close its idle ones to make room for other
     * databases. Default: nothing.
     */
    default void doneWith(String database) {}

    /**
     * Whether every connection comes with {@code statement_timeout} and {@code lock_timeout} set for
     * the session, so that the engine need not set them per query. Default: false.
     */
    default boolean setsSessionTimeouts() {
        return false;
    }

    /** Whether {@link #connection} accepts databases other than the default. */
    boolean canSwitchDatabase();

    /** Where this source connects, without any secret. */
    String describe();

    @Override
    void close();
}
