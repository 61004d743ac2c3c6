package io.pgmetrics.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.UnaryOperator;

/**
 * Runs a HotSpot diagnostic command through the JDK's own implementation of the
 * {@code DiagnosticCommand} MBean, called directly, not through the platform MBean server.
 *
 * <p>Only {@link DirectDiagnosticCommand} uses this class, and only as a copy defined in a class
 * loader of its own: the JDK package it reaches into is opened to that loader's module alone, never
 * to the host's classes. Nothing else may name it (the copy the agent's own class loader would load
 * has no access).
 */
public final class DiagnosticCommandCall implements UnaryOperator<String> {

    static final String IMPLEMENTATION = "com.sun.management.internal.DiagnosticCommandImpl";
    /** Loads the native library the command's implementation calls into (libmanagement_ext) as it initialises. */
    static final String LIBRARY_LOADER = "com.sun.management.internal.PlatformMBeanProviderImpl";

    private final Object commands;
    private final Method execute;

    /**
     * @throws ReflectiveOperationException when this JDK's implementation is not the one expected
     * @throws UnsupportedOperationException when the JVM takes no diagnostic commands this way
     */
    public DiagnosticCommandCall() throws ReflectiveOperationException {
        // in a host that never used java.lang.management the library is not loaded yet
        Class.forName(LIBRARY_LOADER, true, ClassLoader.getPlatformClassLoader());
        Class<?> impl = Class.forName(IMPLEMENTATION);
        Method instance = impl.getDeclaredMethod("getDiagnosticCommandMBean");
        instance.setAccessible(true);
        commands = instance.invoke(null);
        if (commands == null) {
            throw new UnsupportedOperationException("this JVM runs no diagnostic command for Java code");
        }
        execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
        execute.setAccessible(true);
    }

    /** The command's answer, as {@code jcmd} would print it. */
    @Override
    public String apply(String command) {
        try {
            return (String) execute.invoke(commands, command);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
