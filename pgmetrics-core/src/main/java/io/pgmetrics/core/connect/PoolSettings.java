package io.pgmetrics.core.connect;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link PooledConnectionSource}.
 *
 * @param maxConnections a hard cap on the physical connections to the server, across all
 *     databases and including the one {@link ConnectionSource#checkFresh()} opens (default 5: four
 *     kept connections serve up to four databases without a new login per scrape, and one place stays
 *     free for the login check; a monitor should still be one of the smallest clients of its server)
 * @param idleTimeout an idle connection is closed after this long (default 60 s)
 * @param acquireTimeout how long a caller waits for a connection when all are busy before it gets
 *     an {@link java.sql.SQLException} (default 5 s)
 * @param maxLifetime a connection is closed when given back after this long, so that a server's
 *     changed settings and memory held by a backend do not last for ever (default 30 min)
 * @param statementTimeout the session's {@code statement_timeout}, set once when a connection opens (its
 *     {@code lock_timeout} is half of it): the server's own limit on every statement, also when the
 *     client has gone (default 10 s; {@code PgMetrics} sets the longest of its query timeouts)
 */
public record PoolSettings(
        int maxConnections,
        Duration idleTimeout,
        Duration acquireTimeout,
        Duration maxLifetime,
        Duration statementTimeout) {

    private static final PoolSettings DEFAULTS = new PoolSettings(
            5, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ofSeconds(10));

    public PoolSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        positive(idleTimeout, "idleTimeout");
        positive(acquireTimeout, "acquireTimeout");
        positive(maxLifetime, "maxLifetime");
        positive(statementTimeout, "statementTimeout");
    }

    /** These settings with another {@code statement_timeout}. */
    public PoolSettings withStatementTimeout(Duration timeout) {
        return new PoolSettings(maxConnections, idleTimeout, acquireTimeout, maxLifetime, timeout);
    }

    /**
     * The statements that make the timeouts session settings, sent once when a connection opens (one
     * round trip), so that no query needs one to set them: {@code SET statement_timeout = <ms>; SET
     * lock_timeout = <ms/2>}. Set with {@code SET}, not as startup options: a value set at login
     * becomes the session's reset value, and {@code pg_settings} would then show ours in place of the
     * value the server gives its sessions (postgresql.conf, {@code ALTER SYSTEM}, {@code ALTER
     * ROLE/DATABASE ... SET}), which the settings collector reports ({@code reset_val}).
     */
    String sessionSettings() {
        long ms = Math.max(1, statementTimeout.toMillis());
        return "SET statement_timeout = " + ms + "; SET lock_timeout = " + Math.max(1, ms / 2);
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
        private Duration statementTimeout = DEFAULTS.statementTimeout();

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

        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        public PoolSettings build() {
            return new PoolSettings(maxConnections, idleTimeout, acquireTimeout, maxLifetime, statementTimeout);
        }
    }
}
