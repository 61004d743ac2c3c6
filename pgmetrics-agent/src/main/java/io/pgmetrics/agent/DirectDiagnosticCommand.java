package io.pgmetrics.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A way to run the JVM's diagnostic commands (what {@code jcmd} runs) without the platform MBean
 * server. Asking the {@code DiagnosticCommand} MBean through {@code ManagementFactory} registers
 * every platform MBean first and describes every command: about 280 classes (JMX, the management
 * beans, JFR's bean) and 2-3 MiB of metaspace and heap kept for the life of the host, which is
 * a tenth of what the agent may cost it. The JDK class behind that MBean does the same work by
 * itself; its package is not exported, so the agent, which holds the JVM's {@link Instrumentation},
 * opens it to a class loader of its own that holds one class ({@link DiagnosticCommandCall}).
 * The host's classes gain no access. Any failure (another JDK's layout, a JVM that forbids it)
 * leaves the caller to the MBean server.
 */
final class DirectDiagnosticCommand {

    private static final String MODULE = "jdk.management";
    private static final String PACKAGE = "com.sun.management.internal";
    private static final String CALL = DirectDiagnosticCommand.class.getPackageName() + ".DiagnosticCommandCall";

    private DirectDiagnosticCommand() {}

    /** The command runner, or empty when this JVM does not allow it (then the MBean server is the way). */
    static Optional<UnaryOperator<String>> open(Instrumentation instrumentation) {
        try {
            Optional<Module> management = ModuleLayer.boot().findModule(MODULE);
            if (instrumentation == null
                    || management.isEmpty()
                    || !instrumentation.isModifiableModule(management.get())) {
                return Optional.empty();
            }
            Class<?> call = new OneClassLoader(DirectDiagnosticCommand.class.getClassLoader()).defineCall();
            instrumentation.redefineModule(
                    management.get(),
                    Set.of(),
                    Map.of(),
                    Map.of(PACKAGE, Set.of(call.getModule())),
                    Set.of(),
                    Map.of());
            @SuppressWarnings("unchecked")
            UnaryOperator<String> runner =
                    (UnaryOperator<String>) call.getConstructor().newInstance();
            return Optional.of(runner);
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Holds {@link DiagnosticCommandCall} alone, defined from the agent jar's bytes, in an unnamed module of its own. */
    private static final class OneClassLoader extends ClassLoader {

        OneClassLoader(ClassLoader parent) {
            super("pgmetrics-agent-diagnostic-command", parent);
        }

        Class<?> defineCall() throws IOException {
            String resource = CALL.replace('.', '/') + ".class";
            try (InputStream in = getParent().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is not in the agent's jar");
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(CALL, bytes, 0, bytes.length);
            }
        }
    }
}
