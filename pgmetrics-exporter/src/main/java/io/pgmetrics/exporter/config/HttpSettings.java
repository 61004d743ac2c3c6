package io.pgmetrics.exporter.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The exporter's HTTP side: where it listens, where metrics are, the web-config file, reload over
 * HTTP, and what one client may hold of the front.
 *
 * @param listenAddresses where to serve HTTP (port 0 picks a free port, which {@code Exporter.port()} tells)
 * @param telemetryPath the metrics path; "/" or "" means no landing page
 * @param webConfigFile the Prometheus web-config file (TLS, basic auth)
 * @param enableReload serve POST /-/reload
 * @param threads threads kept for HTTP requests once started (a thread starts only when every other one is
 *     busy; more start, up to {@link HttpLimits#maxConnections()}, and end after a minute idle)
 * @param limits connections served at once and how long a request may take to arrive
 */
public record HttpSettings(
        List<InetSocketAddress> listenAddresses,
        String telemetryPath,
        Optional<Path> webConfigFile,
        boolean enableReload,
        int threads,
        HttpLimits limits) {

    /** postgres_exporter's port. */
    public static final int DEFAULT_PORT = 9187;

    public static final HttpSettings DEFAULTS = new HttpSettings(
            List.of(new InetSocketAddress(DEFAULT_PORT)), "/metrics", Optional.empty(), false, 1, HttpLimits.DEFAULT);

    public HttpSettings {
        listenAddresses = List.copyOf(listenAddresses);
        Objects.requireNonNull(telemetryPath, "telemetryPath");
        Objects.requireNonNull(webConfigFile, "webConfigFile");
        if (threads < 1) {
            throw new IllegalArgumentException("httpThreads must be at least 1");
        }
        Objects.requireNonNull(limits, "httpLimits");
    }

    /** Whether the landing page is served (postgres_exporter leaves it out when metrics live at "/"). */
    public boolean landingPage() {
        return !telemetryPath.isEmpty() && !telemetryPath.equals("/");
    }
}
