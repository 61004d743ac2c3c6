package io.pgmetrics.agent;

import java.sql.SQLException;

/**
 * Keeps the agent's (relocated) PostgreSQL driver out of the host's {@code java.sql.DriverManager}.
 *
 * <p>The shaded jar leaves out pgjdbc's {@code META-INF/services/java.sql.Driver}, but the driver
 * class still registers itself when it is loaded. Were it left registered, a host calling
 * {@code DriverManager.getConnection("jdbc:postgresql:...")} could be handed the agent's copy
 * instead of its own. So the agent loads the class and deregisters it before the host's
 * {@code main} runs; the exporter never needs DriverManager: it connects through
 * {@code Driver#connect}.
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
