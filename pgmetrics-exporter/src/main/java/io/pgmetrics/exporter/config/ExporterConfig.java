package io.pgmetrics.exporter.config;

import io.pgmetrics.core.catalog.NamingProfile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the exporter runtime needs, resolved and checked, by concern. The command line builds it
 * from flags, environment and the config file ({@link ConfigLoader}); the java agent from its own
 * arguments ({@link EnvironmentConfig}); code with {@link #builder()}. Immutable: a reload is a new
 * configuration from a {@link ConfigSource}.
 *
 * @param http where and how HTTP is served
 * @param targets the databases of /metrics
 * @param queries which queries run and how their series are named
 * @param limits timeouts and what one target may hold
 * @param probe the /probe endpoint
 * @param log how the exporter logs
 */
public record ExporterConfig(
        HttpSettings http,
        List<TargetSpec> targets,
        QuerySettings queries,
        LimitSettings limits,
        ProbeSettings probe,
        LogSettings log) {

    public ExporterConfig {
        Objects.requireNonNull(http, "http");
        targets = List.copyOf(targets);
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(log, "log");
    }

    /** A builder that starts from the defaults ({@code DEFAULTS} of each part). */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String toString() {
        return "ExporterConfig[" + targets.size() + " target(s), listen " + http.listenAddresses() + ", profile "
                + queries.namingProfile() + "]";
    }

    /** Builds a configuration part by part; what is not set keeps its default. */
    public static final class Builder {
        private List<InetSocketAddress> listenAddresses;
        private String telemetryPath;
        private Optional<Path> webConfigFile;
        private boolean enableReload;
        private int httpThreads;
        private HttpLimits httpLimits;
        private List<TargetSpec> targets;
        private List<Path> legacyQueryFiles;
        private List<Path> catalogFiles;
        private List<Path> cnpgFiles;
        private boolean disableDefaultMetrics;
        private boolean autoDiscoverDatabases;
        private List<String> includeDatabases;
        private List<String> excludeDatabases;
        private Map<String, Boolean> collectors;
        private Map<String, String> parameters;
        private NamingProfile namingProfile;
        private Map<String, String> constantLabels;
        private String metricPrefix;
        private Duration collectionTimeout;
        private Duration defaultScrapeBudget;
        private Duration queryTimeout;
        private int maxConnectionsPerTarget;
        private Duration loginCheckInterval;
        private Duration databaseRefreshInterval;
        private int maxSeriesPerTarget;
        private int maxRowsPerQuery;
        private boolean probeEnabled;
        private List<String> probeAllowedTargets;
        private int probeCacheSize;
        private Duration probeCacheTtl;
        private int probeMaxConnections;
        private Optional<Path> authModulesFile;
        private boolean authModulesFileRequired;
        private Map<String, AuthModules.Module> authModules;
        private LogSettings log;

        private Builder() {
            this(
                    HttpSettings.DEFAULTS,
                    List.of(),
                    QuerySettings.DEFAULTS,
                    LimitSettings.DEFAULTS,
                    ProbeSettings.DEFAULTS,
                    LogSettings.DEFAULTS);
        }

        private Builder(ExporterConfig c) {
            this(c.http, c.targets, c.queries, c.limits, c.probe, c.log);
        }

        private Builder(
                HttpSettings h, List<TargetSpec> t, QuerySettings q, LimitSettings l, ProbeSettings p, LogSettings g) {
            listenAddresses = h.listenAddresses();
            telemetryPath = h.telemetryPath();
            webConfigFile = h.webConfigFile();
            enableReload = h.enableReload();
            httpThreads = h.threads();
            httpLimits = h.limits();
            targets = new ArrayList<>(t);
            legacyQueryFiles = q.legacyQueryFiles();
            catalogFiles = q.catalogFiles();
            cnpgFiles = q.cnpgFiles();
            disableDefaultMetrics = q.disableDefaultMetrics();
            autoDiscoverDatabases = q.autoDiscoverDatabases();
            includeDatabases = q.includeDatabases();
            excludeDatabases = q.excludeDatabases();
            collectors = q.collectors();
            parameters = q.parameters();
            namingProfile = q.namingProfile();
            constantLabels = q.constantLabels();
            metricPrefix = q.metricPrefix();
            collectionTimeout = l.collectionTimeout();
            defaultScrapeBudget = l.defaultScrapeBudget();
            queryTimeout = l.queryTimeout();
            maxConnectionsPerTarget = l.maxConnectionsPerTarget();
            loginCheckInterval = l.loginCheckInterval();
            databaseRefreshInterval = l.databaseRefreshInterval();
            maxSeriesPerTarget = l.maxSeriesPerTarget();
            maxRowsPerQuery = l.maxRowsPerQuery();
            probeEnabled = p.enabled();
            probeAllowedTargets = p.allowedTargets();
            probeCacheSize = p.cacheSize();
            probeCacheTtl = p.cacheTtl();
            probeMaxConnections = p.maxConnections();
            authModulesFile = p.authModulesFile();
            authModulesFileRequired = p.authModulesFileRequired();
            authModules = p.authModules();
            log = g;
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

        /** 0: as often as the connections allow. */
        public Builder databaseRefreshInterval(Duration v) {
            databaseRefreshInterval = v;
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

        public Builder log(LogSettings v) {
            log = v;
            return this;
        }

        public ExporterConfig build() {
            return new ExporterConfig(
                    new HttpSettings(
                            listenAddresses, telemetryPath, webConfigFile, enableReload, httpThreads, httpLimits),
                    targets,
                    new QuerySettings(
                            legacyQueryFiles,
                            catalogFiles,
                            cnpgFiles,
                            disableDefaultMetrics,
                            autoDiscoverDatabases,
                            includeDatabases,
                            excludeDatabases,
                            collectors,
                            parameters,
                            namingProfile,
                            constantLabels,
                            metricPrefix),
                    new LimitSettings(
                            collectionTimeout,
                            defaultScrapeBudget,
                            queryTimeout,
                            maxConnectionsPerTarget,
                            loginCheckInterval,
                            databaseRefreshInterval,
                            maxSeriesPerTarget,
                            maxRowsPerQuery),
                    new ProbeSettings(
                            probeEnabled,
                            probeAllowedTargets,
                            probeCacheSize,
                            probeCacheTtl,
                            probeMaxConnections,
                            authModulesFile,
                            authModulesFileRequired,
                            authModules),
                    log);
        }
    }
}
