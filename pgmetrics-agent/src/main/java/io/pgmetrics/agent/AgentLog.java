package io.pgmetrics.agent;

import java.lang.System.Logger.Level;

/**
 * The agent's few messages to the host's log: one line each, prefixed {@code pgmetrics agent:},
 * never a stack trace, never a password. They go through {@code System.Logger}, so they land
 * wherever the host sends its platform logging (java.util.logging unless it installed a bridge);
 * the agent does not touch the host's logging configuration.
 */
final class AgentLog {

    static final String PREFIX = "pgmetrics agent: ";

    private AgentLog() {}

    static void info(String message) {
        log(Level.INFO, message);
    }

    static void warning(String message) {
        log(Level.WARNING, message);
    }

    static void log(Level level, String message) {
        String line = PREFIX + message.replace('\n', ' ');
        try {
            System.getLogger("io.pgmetrics.agent").log(level, line);
        } catch (Throwable broken) { // a broken logging setup of the host must not break the host
            System.err.println(level + " " + line);
        }
    }

    /** A short, one-line description of an unexpected failure: its type and message, no stack trace. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m.strip().replace('\n', ' ');
    }
}
