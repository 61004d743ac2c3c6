package io.pgmetrics.agent;

import java.sql.SQLException;

/**
 * Keeps the agent's (relocated) PostgreSQL driver out of the host's {@code java.sql.DriverManager}.
 *
 * <p>The shaded jar leaves out pgjdbc's {@code META-INF/services/java.sql.Driver}, but the driver
 * class still registers itself when it is loaded. Were it left registered, a host calling
 * {@code DriverManager.getConnection("jdbc:postgresql:...")} could be handed the agent's copy
 * instead of its own. So the agent loads the class and deregisters it at once, as the first step
 * of its start thread; the exporter never needs DriverManager: it connects through
 * {@code Driver#connect}.
 *
 * <p>Why not in {@code premain}, before the host's {@code main}: loading the driver class (and
 * java.util.logging with it) took 100-190 ms there, most of the agent's start-time budget. The
 * price is a short window (the driver class's initialisation, seen by a host polling DriverManager
 * in the tests) between the driver's self-registration and this call, in which
 * a host thread asking DriverManager for a PostgreSQL connection could be handed the agent's
 * driver (a working pgjdbc of another version), not a failure.
 */
final class DriverIsolation {

    private DriverIsolation() {}

    static void keepOutOfDriverManager() throws SQLException {
        // In the shaded jar this names io.pgmetrics.agent.shaded.org.postgresql.Driver.
        if (org.postgresql.Driver.isRegistered()) {
            org.postgresql.Driver.deregister();
        }
    }
}
