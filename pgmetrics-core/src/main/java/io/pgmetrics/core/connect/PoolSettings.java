package io.pgmetrics.core.connect;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link PooledConnectionSource}.
 *
 * @param maxConnections a hard cap on the physical connections to the server, across all
 *     databases and including the one {@link ConnectionSource#checkFresh()} opens (default 2: a
 *     monitor should be one of the smallest clients of the server it watches)
 * @param idleTimeout an idle connection is closed after this long (default 60 s)
 * @param acquireTimeout how long a caller waits for a connection when all are busy before it gets
 *     an {@link java.sql.SQLException} (default 5 s)
 * @param maxLifetime a connection is closed when given back after this long, so that a server's
 *     changed settings and memory held by a backend do not last for ever (default 30 min)
 */
public record PoolSettings(int maxConnections, Duration idleTimeout, Duration acquireTimeout, Duration maxLifetime) {

    private static final PoolSettings DEFAULTS =
            new PoolSettings(2, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(30));

    public PoolSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        positive(idleTimeout, "idleTimeout");
        positive(acquireTimeout, "acquireTimeout");
        positive(maxLifetime, "maxLifetime");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    public static PoolSettings defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxConnections = DEFAULTS.maxConnections();
        private Duration idleTimeout = DEFAULTS.idleTimeout();
        private Duration acquireTimeout = DEFAULTS.acquireTimeout();
        private Duration maxLifetime = DEFAULTS.maxLifetime();

        private Builder() {}

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
            return this;
        }

        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
            return this;
        }

        public PoolSettings build() {
            return new PoolSettings(maxConnections, idleTimeout, acquireTimeout, maxLifetime);
        }
    }
}
