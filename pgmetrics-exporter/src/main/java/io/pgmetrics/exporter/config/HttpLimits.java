package io.pgmetrics.exporter.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may hold of the HTTP front: requests being read or served at once (each has a thread
 * of its own, so a health check never waits behind another client), and how long a request's line and
 * headers (and the TLS handshake) may take to arrive before its connection is closed.
 *
 * @param maxConnections connections with a request being read or served at once; more are closed at once
 * @param requestReadTimeout the longest a request may take to arrive, from its first byte
 */
public record HttpLimits(int maxConnections, Duration requestReadTimeout) {

    public static final HttpLimits DEFAULT = new HttpLimits(128, Duration.ofSeconds(10));

    public HttpLimits {
        Objects.requireNonNull(requestReadTimeout, "requestReadTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        if (requestReadTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("requestReadTimeout must be at least 1ms");
        }
    }
}
