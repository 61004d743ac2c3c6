package io.pgmetrics.core.internal.connect;

import java.sql.SQLException;

/**
 * The one place that reads SQLSTATEs to decide what a failure did to a connection, shared by the
 * pool and the engine.
 *
 * <p>The retry policy: work whose kept connection turned out {@link #lost lost} is tried once more,
 * on a new connection; anything else is reported as it is. A lost connection is also what makes
 * {@code pg_up} 0 and a new-login check due.
 */
public final class ConnectionFailures {

    private ConnectionFailures() {}

    /**
     * The connection is gone, not the statement: SQLSTATE class 08 (connection exception), or
     * 57P01–57P05 (the backend was terminated, the server shut down, crashed, is starting, or ended
     * an idle session).
     */
    public static boolean lost(Throwable e) {
        String state = state(e);
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * The connection must not be lent again: {@link #lost}, or a failure that did not come from the
     * server (no SQLSTATE), after which the protocol state is unknown.
     */
    public static boolean unusable(Throwable e) {
        return state(e) == null || lost(e);
    }

    /** The statement was cancelled: its timeout, or the collection's deadline, from the client or the server. */
    public static boolean cancelled(Throwable e) {
        return "57014".equals(state(e));
    }

    private static String state(Throwable e) {
        return e instanceof SQLException se ? se.getSQLState() : null;
    }
}
