package io.pgmetrics.exporter.config;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.connect.PoolSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a collection and a query may take, and how much one target may hold.
 *
 * @param collectionTimeout the longest a collection may take
 * @param defaultScrapeBudget the budget when the scraper sends no X-Prometheus-Scrape-Timeout-Seconds
 * @param queryTimeout the default time limit of one query
 * @param maxConnectionsPerTarget hard cap of open connections per target
 * @param loginCheckInterval how often pg_up proves with a new login that the server accepts connections
 * @param databaseRefreshInterval with more databases than kept connections, how old the others' rows may grow
 *     before they are read again (0: as often as the connections allow)
 * @param maxSeriesPerTarget most series one target may have per collection (0: no limit)
 * @param maxRowsPerQuery ceiling on every query's max_rows (0: each query's own)
 */
public record LimitSettings(
        Duration collectionTimeout,
        Duration defaultScrapeBudget,
        Duration queryTimeout,
        int maxConnectionsPerTarget,
        Duration loginCheckInterval,
        Duration databaseRefreshInterval,
        int maxSeriesPerTarget,
        int maxRowsPerQuery) {

    /** The exporter's timeouts are postgres_exporter's; the connection figures are the library's. */
    public static final LimitSettings DEFAULTS = new LimitSettings(
            Duration.ofMinutes(1),
            Duration.ofMillis(9500),
            Duration.ofSeconds(10),
            PoolSettings.defaults().maxConnections(),
            PgMetrics.DEFAULT_LOGIN_CHECK_INTERVAL,
            PgMetrics.DEFAULT_DATABASE_REFRESH_INTERVAL,
            0,
            0);

    public LimitSettings {
        Objects.requireNonNull(collectionTimeout, "collectionTimeout");
        Objects.requireNonNull(defaultScrapeBudget, "defaultScrapeBudget");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (maxConnectionsPerTarget < 1) {
            throw new IllegalArgumentException("maxConnectionsPerTarget must be at least 1");
        }
        Objects.requireNonNull(loginCheckInterval, "loginCheckInterval");
        if (databaseRefreshInterval.isNegative()) {
            throw new IllegalArgumentException("databaseRefreshInterval must not be negative");
        }
        if (maxSeriesPerTarget < 0 || maxRowsPerQuery < 0) {
            throw new IllegalArgumentException("maxSeriesPerTarget and maxRowsPerQuery must be 0 (no limit) or more");
        }
    }
}
