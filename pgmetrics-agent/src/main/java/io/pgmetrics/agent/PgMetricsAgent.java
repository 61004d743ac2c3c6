package io.pgmetrics.agent;

import java.lang.instrument.Instrumentation;

/**
 * The java agent's entry point: {@code -javaagent:pgmetrics-agent.jar=[host:]port[:config.yaml]}
 * at launch ({@link #premain}), or loaded into a running JVM ({@link #agentmain}).
 *
 * <p>The agent never harms its host. Before returning it only reads its argument and starts one
 * daemon thread (no lambda, stream or string concatenation on that path: each would bootstrap
 * machinery before the host's {@code main}). Everything else (driver isolation, configuration,
 * catalog, HTTP endpoint, database connections) happens on that thread, so a slow or failing agent
 * neither delays nor stops the host. No exception leaves these methods; a failure is one line in
 * the host's log, and the agent never calls {@code System.exit}.
 */
public final class PgMetricsAgent {

    private PgMetricsAgent() {}

    /** Called by the JVM before the host's {@code main} for {@code -javaagent:...}. */
    public static void premain(String argument, Instrumentation instrumentation) {
        launch(argument, instrumentation);
    }

    /** Called by the JVM when the agent is loaded into a running JVM (dynamic attach). */
    public static void agentmain(String argument, Instrumentation instrumentation) {
        launch(argument, instrumentation);
    }

    static void launch(String argument, Instrumentation instrumentation) {
        long begin = System.nanoTime();
        try {
            AgentArguments arguments = AgentArguments.parse(argument);
            Thread starter = new Thread(
                    new AgentStart(arguments, System.getenv(), System.getProperties(), begin, instrumentation),
                    "pgmetrics-agent-start");
            starter.setDaemon(true);
            starter.start();
        } catch (IllegalArgumentException e) {
            AgentLog.warning(e.getMessage() + "; the agent is off, the application runs on");
        } catch (Throwable e) { // never into the host: not even an Error
            AgentLog.warning("cannot start (" + AgentLog.describe(e) + "); the agent is off, the application runs on");
        }
    }
}
