package io.pgmetrics.exporter.scrape;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.exporter.config.ExporterConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What every target of one configuration shares: the catalog, naming, database filter, query
 * parameters, labels, timeouts, the connection cap, the login check's interval and the memory limits (0: none).
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public record TargetSettings(
        Catalog catalog,
        NamingProfile profile,
        List<String> includeDatabases,
        List<String> excludeDatabases,
        Map<String, String> parameters,
        Map<String, String> constantLabels,
        Duration collectionTimeout,
        Duration queryTimeout,
        int maxConnections,
        Duration loginCheckInterval,
        Duration databaseRefreshInterval,
        int maxSeries,
        int maxRows) {

    /** The same settings with per-database queries in {@code database} only (the exclusions still win). */
    public TargetSettings onlyDatabase(String database) {
        return new TargetSettings(
                catalog,
                profile,
                List.of(database),
                excludeDatabases,
                parameters,
                constantLabels,
                collectionTimeout,
                queryTimeout,
                maxConnections,
                loginCheckInterval,
                databaseRefreshInterval,
                maxSeries,
                maxRows);
    }

    static TargetSettings of(ExporterConfig c, Catalog catalog) {
        return new TargetSettings(
                catalog,
                c.queries().namingProfile(),
                c.queries().includeDatabases(),
                c.queries().excludeDatabases(),
                c.queries().parameters(),
                c.queries().constantLabels(),
                c.limits().collectionTimeout(),
                c.limits().queryTimeout(),
                c.limits().maxConnectionsPerTarget(),
                c.limits().loginCheckInterval(),
                c.limits().databaseRefreshInterval(),
                c.limits().maxSeriesPerTarget(),
                c.limits().maxRowsPerQuery());
    }
}
