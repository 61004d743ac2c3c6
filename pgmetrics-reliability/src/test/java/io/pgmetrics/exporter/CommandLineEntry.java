package io.pgmetrics.exporter;

import java.io.PrintStream;
import java.util.Map;

/**
 * The exporter's command-line entry without serving and without System.exit, for feeding it
 * thousands of command lines in one JVM. Lives in the exporter's package because {@code Main.run}
 * is package-private; it adds nothing of its own.
 */
public final class CommandLineEntry {

    private CommandLineEntry() {}

    /** Parses and loads the configuration as {@code main} would; returns the exit code (0, 1 or 2). */
    public static int parseOnly(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return Main.run(args, env, out, err, false);
    }
}
