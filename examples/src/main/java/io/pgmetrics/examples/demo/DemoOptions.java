package io.pgmetrics.examples.demo;

import java.util.Map;

/** The demo's one option: the exporter's port, from {@code --port N} or the environment. */
final class DemoOptions {

    static final String USAGE = "usage: Demo [--port N]   (or " + Demo.PORT_VARIABLE + "=N; default "
            + Demo.DEFAULT_PORT + "; 0 picks a free port)";

    private DemoOptions() {}

    /**
     * The port: {@code --port N} or {@code --port=N} wins over the environment variable, which wins
     * over 9187.
     *
     * @throws IllegalArgumentException with a one-line message and the usage
     */
    static int port(String[] args, Map<String, String> env) {
        String value = env.getOrDefault(Demo.PORT_VARIABLE, "").strip();
        String source = Demo.PORT_VARIABLE;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--port")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--port needs a number; " + USAGE);
                }
                value = args[++i];
                source = "--port";
            } else if (arg.startsWith("--port=")) {
                value = arg.substring("--port=".length());
                source = "--port";
            } else if (!arg.isBlank()) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
            }
        }
        if (value.isEmpty()) {
            return Demo.DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": '" + value + "' is not a port (0..65535); " + USAGE);
        }
    }
}
