package io.pgmetrics.agent;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the embedded exporter's routine lines out of the host's log. Every class the agent
 * bundles (exporter, core, pgjdbc) logs under the relocated name {@code io.pgmetrics.agent.shaded.*};
 * unless the host configured that logger itself, its java.util.logging level becomes WARNING, so the
 * host sees the agent's own one-line messages and real problems (a failing query), not the
 * exporter's start-up chatter. Nothing else of the host's logging is touched. To see everything:
 * {@code io.pgmetrics.agent.shaded.level = INFO} in the host's logging.properties.
 */
final class EmbeddedLogging {

    static final String NAMESPACE = "io.pgmetrics.agent.shaded";

    /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final Logger EMBEDDED = Logger.getLogger(NAMESPACE);

    private EmbeddedLogging() {}

    static void quietUnlessConfigured() {
        if (EMBEDDED.getLevel() == null) {
            EMBEDDED.setLevel(Level.WARNING);
        }
    }
}
