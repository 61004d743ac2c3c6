package io.pgmetrics.exporter;

import io.pgmetrics.core.catalog.NamingProfile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the exporter runtime needs, resolved and checked. {@link Main} builds it from flags,
 * environment and the config file; the java agent builds it from its own arguments. Immutable.
 *
 * @param listenAddresses where to serve HTTP (port 0 picks a free port; see {@link Exporter#port()})
 * @param telemetryPath the metrics path; "/" or "" means no landing page
 * @param webConfigFile the Prometheus web-config file (TLS, basic auth)
 * @param authModulesFile postgres_exporter's {@code --config.file} with auth modules for /probe
 * @param authModulesFileRequired false for the default file name: then a missing file is fine
 * @param authModules auth modules given inline in our config file (the file's modules win on a name clash)
 * @param targets the databases of /metrics
 * @param legacyQueryFiles custom queries in postgres_exporter's format (--extend.query-path)
 * @param catalogFiles custom queries in pgmetrics' own catalog format
 * @param cnpgFiles custom queries in CloudNativePG's format
 * @param disableDefaultMetrics leave out the legacy built-in namespaces and pg_static
 * @param autoDiscoverDatabases run legacy custom queries in every database (with a datname label)
 * @param includeDatabases databases per-database queries run in (names or globs; empty = all)
 * @param excludeDatabases databases left out
 * @param constantLabels labels added to every series
 * @param metricPrefix replaces the leading "pg" of legacy namespaces
 * @param collectionTimeout the longest a collection may take
 * @param defaultScrapeBudget the budget when the scraper sends no X-Prometheus-Scrape-Timeout-Seconds
 * @param queryTimeout the default time limit of one query
 * @param collectors collectors switched on (true) or off (false) explicitly; others keep their default
 * @param parameters query parameters, {@code <collector>.<name>} → value (stat_statements.limit …)
 * @param namingProfile compat (postgres_exporter's names) or strict (promtool-clean names)
 * @param maxConnectionsPerTarget hard cap of open connections per target
 * @param loginCheckInterval how often pg_up proves with a new login that the server accepts connections
 * @param maxSeriesPerTarget most series one target may have per collection (0: no limit)
 * @param maxRowsPerQuery ceiling on every query's max_rows (0: each query's own)
 * @param enableReload serve POST /-/reload
 * @param probeAllowedTargets host names, globs or CIDR ranges /probe may connect to (empty = any)
 * @param probeCacheSize how many /probe targets keep their pool between requests
 * @param probeCacheTtl how long an unused /probe target keeps its pool
 * @param probeMaxConnections connections all /probe targets may hold together
 * @param httpThreads threads kept for HTTP requests (more start, up to {@link HttpLimits#maxConnections()})
 * @param httpLimits connections served at once and how long a request may take to arrive
 * @param probeEnabled serve {@code /probe} (the java agent leaves it off unless asked)
 * @param reloader how to re-read the configuration on reload (SIGHUP, POST /-/reload)
 */
public record ExporterConfig(
        List<InetSocketAddress> listenAddresses,
        String telemetryPath,
        Optional<Path> webConfigFile,
        Optional<Path> authModulesFile,
        boolean authModulesFileRequired,
        Map<String, AuthModules.Module> authModules,
        List<TargetSpec> targets,
        List<Path> legacyQueryFiles,
        List<Path> catalogFiles,
        List<Path> cnpgFiles,
        boolean disableDefaultMetrics,
        boolean autoDiscoverDatabases,
        List<String> includeDatabases,
        List<String> excludeDatabases,
        Map<String, String> constantLabels,
        String metricPrefix,
        Duration collectionTimeout,
        Duration defaultScrapeBudget,
        Duration queryTimeout,
        Map<String, Boolean> collectors,
        Map<String, String> parameters,
        NamingProfile namingProfile,
        int maxConnectionsPerTarget,
        Duration loginCheckInterval,
        int maxSeriesPerTarget,
        int maxRowsPerQuery,
        boolean enableReload,
        List<String> probeAllowedTargets,
        int probeCacheSize,
        Duration probeCacheTtl,
        int probeMaxConnections,
        int httpThreads,
        HttpLimits httpLimits,
        boolean probeEnabled,
        Reloader reloader) {

    public static final int DEFAULT_PORT = 9187;

    /** Produces a fresh configuration for a reload; a mistake is reported and the running one kept. */
    @FunctionalInterface
    public interface Reloader {
        ExporterConfig reload() throws ConfigException;
    }

    public ExporterConfig {
        listenAddresses = List.copyOf(listenAddresses);
        Objects.requireNonNull(telemetryPath, "telemetryPath");
        Objects.requireNonNull(webConfigFile, "webConfigFile");
        Objects.requireNonNull(authModulesFile, "authModulesFile");
        authModules = Map.copyOf(authModules);
        targets = List.copyOf(targets);
        legacyQueryFiles = List.copyOf(legacyQueryFiles);
        catalogFiles = List.copyOf(catalogFiles);
        cnpgFiles = List.copyOf(cnpgFiles);
        includeDatabases = List.copyOf(includeDatabases);
        excludeDatabases = List.copyOf(excludeDatabases);
        constantLabels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(constantLabels));
        Objects.requireNonNull(metricPrefix, "metricPrefix");
        Objects.requireNonNull(collectionTimeout, "collectionTimeout");
        Objects.requireNonNull(defaultScrapeBudget, "defaultScrapeBudget");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        collectors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(collectors));
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Objects.requireNonNull(namingProfile, "namingProfile");
        probeAllowedTargets = List.copyOf(probeAllowedTargets);
        Objects.requireNonNull(probeCacheTtl, "probeCacheTtl");
        if (maxConnectionsPerTarget < 1) {
            throw new IllegalArgumentException("maxConnectionsPerTarget must be at least 1");
        }
        Objects.requireNonNull(loginCheckInterval, "loginCheckInterval");
        if (maxSeriesPerTarget < 0 || maxRowsPerQuery < 0) {
            throw new IllegalArgumentException("maxSeriesPerTarget and maxRowsPerQuery must be 0 (no limit) or more");
        }
        if (httpThreads < 1) {
            throw new IllegalArgumentException("httpThreads must be at least 1");
        }
        Objects.requireNonNull(httpLimits, "httpLimits");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether the landing page is served (postgres_exporter leaves it out when metrics live at "/"). */
    public boolean landingPage() {
        return !telemetryPath.isEmpty() && !telemetryPath.equals("/");
    }

    @Override
    public String toString() {
        return "ExporterConfig[" + targets.size() + " target(s), listen " + listenAddresses + ", profile "
                + namingProfile + "]";
    }

    /** Builds a configuration; every part has postgres_exporter's default. */
    public static final class Builder {
        private List<InetSocketAddress> listenAddresses = List.of(new InetSocketAddress(DEFAULT_PORT));
        private String telemetryPath = "/metrics";
        private Optional<Path> webConfigFile = Optional.empty();
        private Optional<Path> authModulesFile = Optional.empty();
        private boolean authModulesFileRequired;
        private Map<String, AuthModules.Module> authModules = Map.of();
        private List<TargetSpec> targets = new ArrayList<>();
        private List<Path> legacyQueryFiles = List.of();
        private List<Path> catalogFiles = List.of();
        private List<Path> cnpgFiles = List.of();
        private boolean disableDefaultMetrics;
        private boolean autoDiscoverDatabases;
        private List<String> includeDatabases = List.of();
        private List<String> excludeDatabases = List.of();
        private Map<String, String> constantLabels = Map.of();
        private String metricPrefix = "pg";
        private Duration collectionTimeout = Duration.ofMinutes(1);
        private Duration defaultScrapeBudget = Duration.ofMillis(9500);
        private Duration queryTimeout = Duration.ofSeconds(10);
        private Map<String, Boolean> collectors = Map.of();
        private Map<String, String> parameters = Map.of();
        private NamingProfile namingProfile = NamingProfile.COMPAT;
        private int maxConnectionsPerTarget = 5;
        private Duration loginCheckInterval = Duration.ofSeconds(60);
        private int maxSeriesPerTarget;
        private int maxRowsPerQuery;
        private boolean enableReload;
        private List<String> probeAllowedTargets = List.of();
        private int probeCacheSize = Integer.MAX_VALUE; // the connection budget bounds them
        private Duration probeCacheTtl = Duration.ofMinutes(5);
        private int probeMaxConnections = 500;
        private int httpThreads = 8;
        private HttpLimits httpLimits = HttpLimits.DEFAULT;
        private boolean probeEnabled = true;
        private Reloader reloader;

        private Builder() {}

        private Builder(ExporterConfig c) {
            listenAddresses = c.listenAddresses;
            telemetryPath = c.telemetryPath;
            webConfigFile = c.webConfigFile;
            authModulesFile = c.authModulesFile;
            authModulesFileRequired = c.authModulesFileRequired;
            authModules = c.authModules;
            targets = new ArrayList<>(c.targets);
            legacyQueryFiles = c.legacyQueryFiles;
            catalogFiles = c.catalogFiles;
            cnpgFiles = c.cnpgFiles;
            disableDefaultMetrics = c.disableDefaultMetrics;
            autoDiscoverDatabases = c.autoDiscoverDatabases;
            includeDatabases = c.includeDatabases;
            excludeDatabases = c.excludeDatabases;
            constantLabels = c.constantLabels;
            metricPrefix = c.metricPrefix;
            collectionTimeout = c.collectionTimeout;
            defaultScrapeBudget = c.defaultScrapeBudget;
            queryTimeout = c.queryTimeout;
            collectors = c.collectors;
            parameters = c.parameters;
            namingProfile = c.namingProfile;
            maxConnectionsPerTarget = c.maxConnectionsPerTarget;
            loginCheckInterval = c.loginCheckInterval;
            maxSeriesPerTarget = c.maxSeriesPerTarget;
            maxRowsPerQuery = c.maxRowsPerQuery;
            enableReload = c.enableReload;
            probeAllowedTargets = c.probeAllowedTargets;
            probeCacheSize = c.probeCacheSize;
            probeCacheTtl = c.probeCacheTtl;
            probeMaxConnections = c.probeMaxConnections;
            httpThreads = c.httpThreads;
            httpLimits = c.httpLimits;
            probeEnabled = c.probeEnabled;
            reloader = c.reloader;
        }

        public Builder listenAddresses(List<InetSocketAddress> v) {
            listenAddresses = v;
            return this;
        }
        /** Listens on one port of every interface; 0 picks a free port. */
        public Builder port(int port) {
            listenAddresses = List.of(new InetSocketAddress(port));
            return this;
        }

        public Builder telemetryPath(String v) {
            telemetryPath = v;
            return this;
        }

        public Builder webConfigFile(Path v) {
            webConfigFile = Optional.ofNullable(v);
            return this;
        }

        public Builder authModulesFile(Path v, boolean required) {
            authModulesFile = Optional.ofNullable(v);
            authModulesFileRequired = required;
            return this;
        }

        public Builder authModules(Map<String, AuthModules.Module> v) {
            authModules = v;
            return this;
        }

        public Builder targets(List<TargetSpec> v) {
            targets = new ArrayList<>(v);
            return this;
        }
        /** Adds a target by connection string (URL, key=value or JDBC URL). */
        public Builder target(String dsn) {
            targets.add(TargetSpec.of(dsn));
            return this;
        }

        public Builder legacyQueryFiles(List<Path> v) {
            legacyQueryFiles = v;
            return this;
        }

        public Builder catalogFiles(List<Path> v) {
            catalogFiles = v;
            return this;
        }

        public Builder cnpgFiles(List<Path> v) {
            cnpgFiles = v;
            return this;
        }

        public Builder disableDefaultMetrics(boolean v) {
            disableDefaultMetrics = v;
            return this;
        }

        public Builder autoDiscoverDatabases(boolean v) {
            autoDiscoverDatabases = v;
            return this;
        }

        public Builder includeDatabases(List<String> v) {
            includeDatabases = v;
            return this;
        }

        public Builder excludeDatabases(List<String> v) {
            excludeDatabases = v;
            return this;
        }

        public Builder constantLabels(Map<String, String> v) {
            constantLabels = v;
            return this;
        }

        public Builder metricPrefix(String v) {
            metricPrefix = v;
            return this;
        }

        public Builder collectionTimeout(Duration v) {
            collectionTimeout = v;
            return this;
        }

        public Builder defaultScrapeBudget(Duration v) {
            defaultScrapeBudget = v;
            return this;
        }

        public Builder queryTimeout(Duration v) {
            queryTimeout = v;
            return this;
        }

        public Builder collectors(Map<String, Boolean> v) {
            collectors = v;
            return this;
        }

        public Builder parameters(Map<String, String> v) {
            parameters = v;
            return this;
        }

        public Builder namingProfile(NamingProfile v) {
            namingProfile = v;
            return this;
        }

        public Builder maxConnectionsPerTarget(int v) {
            maxConnectionsPerTarget = v;
            return this;
        }

        public Builder loginCheckInterval(Duration v) {
            loginCheckInterval = v;
            return this;
        }
        /** 0: no limit. */
        public Builder maxSeriesPerTarget(int v) {
            maxSeriesPerTarget = v;
            return this;
        }
        /** 0: each query's own max_rows. */
        public Builder maxRowsPerQuery(int v) {
            maxRowsPerQuery = v;
            return this;
        }

        public Builder enableReload(boolean v) {
            enableReload = v;
            return this;
        }

        public Builder probeAllowedTargets(List<String> v) {
            probeAllowedTargets = v;
            return this;
        }

        public Builder probeCacheSize(int v) {
            probeCacheSize = v;
            return this;
        }

        public Builder probeCacheTtl(Duration v) {
            probeCacheTtl = v;
            return this;
        }

        public Builder probeMaxConnections(int v) {
            probeMaxConnections = v;
            return this;
        }

        public Builder httpThreads(int v) {
            httpThreads = v;
            return this;
        }

        public Builder httpLimits(HttpLimits v) {
            httpLimits = v;
            return this;
        }

        public Builder probeEnabled(boolean v) {
            probeEnabled = v;
            return this;
        }

        public Builder reloader(Reloader v) {
            reloader = v;
            return this;
        }

        public ExporterConfig build() {
            ExporterConfig[] self = new ExporterConfig[1];
            Reloader r = reloader != null ? reloader : () -> self[0];
            self[0] = new ExporterConfig(
                    listenAddresses,
                    telemetryPath,
                    webConfigFile,
                    authModulesFile,
                    authModulesFileRequired,
                    authModules,
                    targets,
                    legacyQueryFiles,
                    catalogFiles,
                    cnpgFiles,
                    disableDefaultMetrics,
                    autoDiscoverDatabases,
                    includeDatabases,
                    excludeDatabases,
                    constantLabels,
                    metricPrefix,
                    collectionTimeout,
                    defaultScrapeBudget,
                    queryTimeout,
                    collectors,
                    parameters,
                    namingProfile,
                    maxConnectionsPerTarget,
                    loginCheckInterval,
                    maxSeriesPerTarget,
                    maxRowsPerQuery,
                    enableReload,
                    probeAllowedTargets,
                    probeCacheSize,
                    probeCacheTtl,
                    probeMaxConnections,
                    httpThreads,
                    httpLimits,
                    probeEnabled,
                    r);
            return self[0];
        }
    }
}
