package io.pgmetrics.examples.deploy;

import io.pgmetrics.exporter.config.KnownCollectors;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the exporter accepts and serves, as the deployment assets may rely on it: image, port,
 * endpoints, environment variables and flags (postgres_exporter's, plus our own).
 */
final class ExporterInterface {

    static final String IMAGE = "ghcr.io/pgmetrics/pgmetrics-exporter:0.1.0";
    static final int PORT = 9187;
    static final String LIVENESS_PATH = "/healthz";
    static final Set<String> READINESS_PATHS = Set.of("/readyz", "/metrics");
    static final String METRICS_PATH = "/metrics";
    /** The runnable jar, relative to the repository root. */
    static final String JAR = "pgmetrics-exporter/target/pgmetrics-exporter.jar";

    static final Set<String> ENVIRONMENT = Set.of(
            "DATA_SOURCE_NAME",
            "DATA_SOURCE_URI",
            "DATA_SOURCE_URI_FILE",
            "DATA_SOURCE_USER",
            "DATA_SOURCE_USER_FILE",
            "DATA_SOURCE_PASS",
            "DATA_SOURCE_PASS_FILE",
            "PG_EXPORTER_WEB_TELEMETRY_PATH",
            "PG_EXPORTER_DISABLE_DEFAULT_METRICS",
            "PG_EXPORTER_AUTO_DISCOVER_DATABASES",
            "PG_EXPORTER_EXCLUDE_DATABASES",
            "PG_EXPORTER_INCLUDE_DATABASES",
            "PG_EXPORTER_EXTEND_QUERY_PATH",
            "PG_EXPORTER_CONSTANT_LABELS",
            "PG_EXPORTER_METRIC_PREFIX",
            "PG_EXPORTER_COLLECTION_TIMEOUT",
            // the Kubernetes pattern that assembles the connection from parts
            "POSTGRES_HOST",
            "POSTGRES_PORT",
            "POSTGRES_SSLMODE",
            "POSTGRES_USER",
            "POSTGRES_PASSWORD",
            "POSTGRES_PASSWORD_FILE",
            "POSTGRES_DB");

    /** Variables that name a file the exporter reads. */
    static boolean namesFile(String variable) {
        return variable.endsWith("_FILE") || variable.equals("PG_EXPORTER_EXTEND_QUERY_PATH");
    }

    /** postgres_exporter's collectors, each with a --[no-]collector.<name> switch. */
    static final List<String> COLLECTORS = List.copyOf(KnownCollectors.POSTGRES_EXPORTER.keySet());

    private static final Set<String> VALUE_FLAGS = Set.of(
            "config.file",
            "web.listen-address",
            "web.config.file",
            "web.telemetry-path",
            "exclude-databases",
            "include-databases",
            "extend.query-path",
            "constantLabels",
            "metric-prefix",
            "collection-timeout",
            "collector.stat_statements.query_length",
            "collector.stat_statements.limit",
            "collector.stat_statements.exclude_databases",
            "collector.stat_statements.exclude_users",
            "log.level",
            "log.format",
            // ours: the exporter's own YAML configuration, connections, /probe for fleets
            "pgmetrics.config",
            "pgmetrics.max-connections",
            "probe.max-connections",
            "probe.idle-timeout");

    private static final Set<String> BOOLEAN_FLAGS = booleanFlags();

    private ExporterInterface() {}

    private static Set<String> booleanFlags() {
        Set<String> flags = new HashSet<>(Set.of(
                "web.systemd-socket",
                "disable-default-metrics",
                "disable-settings-metrics",
                "auto-discover-databases",
                "dumpmaps",
                "collector.stat_statements.include_query"));
        COLLECTORS.forEach(c -> flags.add("collector." + c));
        return Set.copyOf(flags);
    }

    /** Why one command-line argument would be rejected, or empty when the exporter accepts it. */
    static Optional<String> problemWith(String argument) {
        if (!argument.startsWith("--")) {
            return Optional.of("not a --flag (write value flags as --name=value): " + argument);
        }
        String body = argument.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String value = eq < 0 ? null : body.substring(eq + 1);
        if (VALUE_FLAGS.contains(name)) {
            return value == null || value.isEmpty()
                    ? Optional.of("--" + name + " needs a value, as --" + name + "=...")
                    : Optional.empty();
        }
        String positive = name.startsWith("no-") ? name.substring(3) : name;
        if (BOOLEAN_FLAGS.contains(positive)) {
            return value == null || value.equals("true") || value.equals("false")
                    ? Optional.empty()
                    : Optional.of("--" + name + " is a switch, not --" + name + "=" + value);
        }
        return Optional.of("unknown flag --" + name);
    }

    /** The value of --name=value among the arguments, if present. */
    static Optional<String> flagValue(List<String> arguments, String name) {
        String prefix = "--" + name + "=";
        return arguments.stream()
                .filter(a -> a.startsWith(prefix))
                .map(a -> a.substring(prefix.length()))
                .findFirst();
    }
}
