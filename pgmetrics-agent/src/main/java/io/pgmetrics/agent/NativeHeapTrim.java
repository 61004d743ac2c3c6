package io.pgmetrics.agent;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Hands the memory that glibc keeps after {@code free} back to the kernel, once a minute, through
 * the JVM's own diagnostic command {@code System.trim_native_heap} (what {@code jcmd} calls it).
 *
 * <p>Why: most of what the agent adds to its host's RSS is not the agent's objects or classes but
 * the host's C2 compiler compiling what the agent makes hot. C2 works in arenas that it frees after
 * each compilation; glibc keeps the freed memory in its per-thread arenas, so the host's RSS stays
 * where the compiler's peak took it (about 30 MiB on a host with default flags). The exporter's
 * launcher asks the JVM for the same with {@code -XX:TrimNativeHeapInterval}; an agent cannot set
 * the host's flags, so it calls the command. It frees only memory nobody uses.
 *
 * <p>The command is reached directly where the JVM allows it ({@link DirectDiagnosticCommand}: the
 * platform MBean server would cost the host about 280 classes and 2-3 MiB), else through the MBean
 * server. On a JDK without the command (before 17.0.9), or off glibc, the first call fails or does
 * nothing and the agent stops trying. {@code PGMETRICS_AGENT_TRIM_NATIVE_HEAP=false} (or the system
 * property {@code pgmetrics.agent.trimNativeHeap=false}) leaves the host's native heap alone.
 */
final class NativeHeapTrim {

    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final String VARIABLE = "PGMETRICS_AGENT_TRIM_NATIVE_HEAP";
    static final String PROPERTY = "pgmetrics.agent.trimNativeHeap";

    private static final String COMMANDS = "com.sun.management:type=DiagnosticCommand";
    private static final String TRIM = "systemTrimNativeHeap";
    private static final String COMMAND = "System.trim_native_heap";

    /** Runs the command once and returns its answer; throws when this JVM cannot. */
    private final Supplier<String> command;

    NativeHeapTrim(Supplier<String> command) {
        this.command = command;
    }

    /**
     * Whether the host's owner allows the trim: yes unless the variable or property says false.
     *
     * @throws IllegalArgumentException when one of them is neither true nor false
     */
    static boolean enabled(Map<String, String> env, java.util.Properties properties) {
        Optional<String> chosen = Optional.ofNullable(properties.getProperty(PROPERTY))
                .or(() -> Optional.ofNullable(env.get(VARIABLE)))
                .map(String::strip);
        if (chosen.isEmpty() || chosen.get().equalsIgnoreCase("true")) {
            return true;
        }
        if (chosen.get().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(
                VARIABLE + " (or -D" + PROPERTY + ") is '" + chosen.get() + "'; write true or false");
    }

    /** The direct way to the command where the JVM allows it (see {@link DirectDiagnosticCommand}), else the MBean server. */
    static NativeHeapTrim of(Instrumentation instrumentation) {
        return DirectDiagnosticCommand.open(instrumentation)
                .map(commands -> new NativeHeapTrim(() -> commands.apply(COMMAND)))
                .orElseGet(NativeHeapTrim::throughMBeanServer);
    }

    /** Through the platform MBean server: what any JDK offers, at the price of all the platform MBeans. */
    static NativeHeapTrim throughMBeanServer() {
        return new NativeHeapTrim(new ThroughMBeanServer());
    }

    /** Trims now and then every {@link #INTERVAL}, on the calling thread, until the JDK turns out not to have the command. */
    void everyMinute() throws InterruptedException {
        Optional<String> said;
        while ((said = trim())
                .filter(answer -> !answer.contains("not supported"))
                .isPresent()) {
            AgentLog.log(System.Logger.Level.DEBUG, "native heap trim: " + said.get()); // FINE: off by default
            Thread.sleep(INTERVAL.toMillis());
        }
    }

    /**
     * One trim: what the command answered (e.g. "Trim native heap: RSS+Swap: 365M->334M (-32244K)"; off glibc,
     * that it is not supported), or empty when this JVM has no such command (then it never will).
     */
    Optional<String> trim() {
        try {
            return Optional.of(command.get());
        } catch (RuntimeException e) {
            return Optional.empty(); // no such command in this JDK (before 17.0.9), or no way to reach it
        }
    }

    /** A class of its own, so that JMX types load only when this way is taken. */
    private static final class ThroughMBeanServer implements Supplier<String> {
        @Override
        public String get() {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                return String.valueOf(server.invoke(new ObjectName(COMMANDS), TRIM, new Object[0], new String[0]));
            } catch (JMException e) {
                throw new UnsupportedOperationException(e);
            }
        }
    }
}
