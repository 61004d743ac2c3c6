package io.pgmetrics.agent;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's argument, {@code [host:]port[:config.yaml]}, the text after {@code =} in
 * {@code -javaagent:pgmetrics-agent.jar=...}. Parsed by hand: the agent brings no parser of its own
 * into the host before it has started.
 *
 * <ul>
 *   <li>{@code 9187}: all interfaces, port 9187, connection from the environment;
 *   <li>{@code 127.0.0.1:9187}, {@code [::1]:9187}, {@code localhost:9187}: one interface;
 *   <li>{@code 9187:/etc/pgmetrics/agent.yaml}, {@code 0.0.0.0:9187:agent.yaml}: with a
 *       configuration file (the rest of the argument, so a path may hold colons, e.g. on Windows).
 * </ul>
 * An empty or missing argument means port {@value #DEFAULT_PORT} on all interfaces.
 *
 * @param host the interface to listen on, empty for all interfaces
 * @param port the TCP port, 1..65535
 * @param configFile the agent's configuration file, if given
 */
public record AgentArguments(String host, int port, Optional<Path> configFile) {

    /** postgres_exporter's port. */
    public static final int DEFAULT_PORT = 9187;

    static final String FORM =
            "[host:]port[:config.yaml], e.g. -javaagent:pgmetrics-agent.jar=9187 or =127.0.0.1:9187:/etc/pgmetrics/agent.yaml";

    public AgentArguments {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(configFile, "configFile");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
    }

    /**
     * Reads the agent argument.
     *
     * @throws IllegalArgumentException with a one-line message saying what is wrong and the expected form
     */
    public static AgentArguments parse(String argument) {
        String text = argument == null ? "" : argument.strip();
        if (text.isEmpty()) {
            return new AgentArguments("", DEFAULT_PORT, Optional.empty());
        }
        String host = "";
        String rest = text;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, "an IPv6 address opened with '[' is not closed with ']'");
            }
            host = text.substring(1, close);
            rest = text.substring(close + 1);
            if (!rest.startsWith(":")) {
                throw invalid(text, "a port must follow the IPv6 address, as in [::1]:9187");
            }
            rest = rest.substring(1);
        } else {
            String first = before(text);
            if (!isDigits(first)) {
                host = first;
                if (first.length() == text.length()) {
                    throw invalid(text, "'" + first + "' is not a port number");
                }
                rest = text.substring(first.length() + 1);
            }
        }
        String portText = before(rest);
        if (!isDigits(portText)) {
            throw invalid(text, portText.isEmpty() ? "the port is missing" : "'" + portText + "' is not a port number");
        }
        int port = portText.length() > 5 ? -1 : Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw invalid(text, "port " + portText + " is not in 1..65535");
        }
        Optional<Path> config = Optional.empty();
        if (portText.length() < rest.length()) {
            String file = rest.substring(portText.length() + 1).strip();
            if (file.isEmpty()) {
                throw invalid(text, "the configuration file after the last ':' is empty");
            }
            config = Optional.of(Path.of(file));
        }
        return new AgentArguments(host, port, config);
    }

    /** Where the endpoint will listen, for messages: {@code :9187}, {@code 127.0.0.1:9187}, {@code [::1]:9187}. */
    public String listenAddress() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    private static String before(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(0, colon);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) { // a loop, not a stream: no lambda bootstrap before the host's main
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String text, String what) {
        return new IllegalArgumentException("agent argument '" + text + "': " + what + "; expected " + FORM);
    }
}
