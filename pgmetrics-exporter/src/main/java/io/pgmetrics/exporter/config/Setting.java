package io.pgmetrics.exporter.config;

import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.internal.yaml.Durations;
import java.util.List;
import java.util.Locale;

/**
 * One exporter setting: its flag, environment variable, key in our config file, default and
 * meaning. The flag table ({@link #STANDARD}), {@code --help} and the README table come from here.
 *
 * @param flag the long flag, e.g. {@code --collection-timeout}
 * @param kind how values are written
 * @param env the environment variable, or "" when there is none (as in postgres_exporter)
 * @param fileKey the dotted key in {@code --pgmetrics.config}, or "" when the file cannot set it
 * @param defaultValue the default as text ("" for none), from the configuration's {@code DEFAULTS} where it has one
 * @param help what it does
 * @param parameter the query parameter it sets ({@code stat_statements.limit}), or ""
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public record Setting(
        String flag, Kind kind, String env, String fileKey, String defaultValue, String help, String parameter) {

    public enum Kind {
        TEXT,
        /** a file path; relative paths in the config file are relative to that file */
        PATH,
        /** {@code --flag}, {@code --no-flag}, {@code --flag=false}; environment: true/false/1/0 */
        BOOL,
        DURATION,
        INT,
        /** comma-separated on the command line and in the environment, a YAML list in the file */
        LIST,
        /** the flag may be given several times; a YAML list in the file */
        REPEATED,
        /** {@code k=v,k2=v2}; a YAML map in the file */
        MAP
    }

    static Setting of(String flag, Kind kind, String env, String fileKey, String def, String help) {
        return new Setting(flag, kind, env, fileKey, def, help, "");
    }

    static Setting parameter(String flag, Kind kind, String parameter, String def, String help) {
        return new Setting(flag, kind, "", "parameters." + parameter, def, help, parameter);
    }

    static final Setting LISTEN = of(
            "--web.listen-address",
            Kind.REPEATED,
            "",
            "web.listen_addresses",
            ":" + HttpSettings.DEFAULT_PORT,
            "Address to listen on for the web interface and telemetry; repeat for several.");
    static final Setting SYSTEMD_SOCKET = of(
            "--web.systemd-socket",
            Kind.BOOL,
            "",
            "",
            "false",
            "Use systemd socket activation (not supported by pgmetrics: use --web.listen-address).");
    static final Setting WEB_CONFIG = of(
            "--web.config.file",
            Kind.PATH,
            "",
            "web.config_file",
            "",
            "Prometheus web-config file enabling TLS and/or basic authentication.");
    static final Setting TELEMETRY_PATH = of(
            "--web.telemetry-path",
            Kind.TEXT,
            "PG_EXPORTER_WEB_TELEMETRY_PATH",
            "web.telemetry_path",
            HttpSettings.DEFAULTS.telemetryPath(),
            "Path under which to expose metrics.");
    static final Setting ENABLE_RELOAD = of(
            "--web.enable-reload",
            Kind.BOOL,
            "PGMETRICS_WEB_ENABLE_RELOAD",
            "web.enable_reload",
            Boolean.toString(HttpSettings.DEFAULTS.enableReload()),
            "Serve POST /-/reload to re-read the configuration (SIGHUP always does).");
    static final Setting WEB_MAX_CONNECTIONS = of(
            "--web.max-connections",
            Kind.INT,
            "PGMETRICS_WEB_MAX_CONNECTIONS",
            "web.max_connections",
            Integer.toString(HttpLimits.DEFAULT.maxConnections()),
            "Requests read or served at once, each on its own thread; a connection "
                    + "beyond them is closed at once.");
    static final Setting WEB_READ_TIMEOUT = of(
            "--web.read-timeout",
            Kind.DURATION,
            "PGMETRICS_WEB_READ_TIMEOUT",
            "web.read_timeout",
            Durations.format(HttpLimits.DEFAULT.requestReadTimeout()),
            "Longest a request (TLS handshake, request line, headers) may take to arrive; "
                    + "then its connection is closed.");
    static final Setting PROBE_ENABLED = of(
            "--probe.enabled",
            Kind.BOOL,
            "PGMETRICS_PROBE_ENABLED",
            "probe.enabled",
            Boolean.toString(ProbeSettings.DEFAULTS.enabled()),
            "Serve /probe?target= (the java agent leaves it off unless this is set).");
    static final Setting PROBE_ALLOWED_TARGETS = of(
            "--probe.allowed-targets",
            Kind.LIST,
            "PG_EXPORTER_PROBE_ALLOWED_TARGETS",
            "probe.allowed_targets",
            "",
            "Hosts /probe may connect to: names, "
                    + "globs (*.db.example.com) or CIDR ranges, comma-separated (default: any). A request naming an auth module "
                    + "needs this list or the module's own.");
    static final Setting PROBE_MAX_CONNECTIONS = of(
            "--probe.max-connections",
            Kind.INT,
            "PG_EXPORTER_PROBE_MAX_CONNECTIONS",
            "probe.max_connections",
            Integer.toString(ProbeSettings.DEFAULTS.maxConnections()),
            "Connections all /probe targets may "
                    + "hold together (each kept target counts its --pgmetrics.max-connections); a new target evicts the least "
                    + "recently used idle one when they are taken.");
    static final Setting PROBE_IDLE_TIMEOUT = of(
            "--probe.idle-timeout",
            Kind.DURATION,
            "PG_EXPORTER_PROBE_IDLE_TIMEOUT",
            "probe.idle_timeout",
            Durations.format(ProbeSettings.DEFAULTS.cacheTtl()),
            "A /probe target not probed for this long closes its connections.");
    static final Setting AUTH_MODULES = of(
            "--config.file",
            Kind.PATH,
            "",
            "auth_modules_file",
            "postgres_exporter.yml",
            "postgres_exporter configuration file with auth_modules for /probe.");
    static final Setting DISABLE_DEFAULT = of(
            "--disable-default-metrics",
            Kind.BOOL,
            "PG_EXPORTER_DISABLE_DEFAULT_METRICS",
            "disable_default_metrics",
            Boolean.toString(QuerySettings.DEFAULTS.disableDefaultMetrics()),
            "Leave out the legacy built-in metrics (pg_static, pg_stat_database_conflicts_*); custom queries still run.");
    static final Setting DISABLE_SETTINGS = of(
            "--disable-settings-metrics",
            Kind.BOOL,
            "PG_EXPORTER_DISABLE_SETTINGS_METRICS",
            "",
            "false",
            "Deprecated (removed from postgres_exporter in v0.20): same as --no-collector.settings.");
    static final Setting AUTO_DISCOVER = of(
            "--auto-discover-databases",
            Kind.BOOL,
            "PG_EXPORTER_AUTO_DISCOVER_DATABASES",
            "databases.auto_discover",
            Boolean.toString(QuerySettings.DEFAULTS.autoDiscoverDatabases()),
            "Run custom queries in every database too (each series gets a datname label).");
    static final Setting EXCLUDE_DATABASES = of(
            "--exclude-databases",
            Kind.LIST,
            "PG_EXPORTER_EXCLUDE_DATABASES",
            "databases.exclude",
            "",
            "Databases (names or globs, comma-separated) per-database queries skip.");
    static final Setting INCLUDE_DATABASES = of(
            "--include-databases",
            Kind.LIST,
            "PG_EXPORTER_INCLUDE_DATABASES",
            "databases.include",
            "",
            "Only these databases (names or globs, comma-separated) for per-database queries.");
    static final Setting EXTEND_QUERY_PATH = of(
            "--extend.query-path",
            Kind.PATH,
            "PG_EXPORTER_EXTEND_QUERY_PATH",
            "queries.legacy",
            "",
            "YAML file of custom queries in postgres_exporter's format.");
    static final Setting CONSTANT_LABELS = of(
            "--constantLabels",
            Kind.MAP,
            "PG_EXPORTER_CONSTANT_LABELS",
            "constant_labels",
            "",
            "Labels added to every series: name=value,name2=value2.");
    static final Setting METRIC_PREFIX = of(
            "--metric-prefix",
            Kind.TEXT,
            "PG_EXPORTER_METRIC_PREFIX",
            "metric_prefix",
            QuerySettings.DEFAULTS.metricPrefix(),
            "Prefix replacing the leading 'pg' of legacy and custom-query namespaces.");
    static final Setting COLLECTION_TIMEOUT = of(
            "--collection-timeout",
            Kind.DURATION,
            "PG_EXPORTER_COLLECTION_TIMEOUT",
            "timeouts.collection",
            Durations.format(LimitSettings.DEFAULTS.collectionTimeout()),
            "Longest time one collection may take (the scrape-timeout header may shorten it).");
    public static final Setting DUMPMAPS = of(
            "--dumpmaps", Kind.BOOL, "", "", "false", "Print the metric maps (built-in and custom queries) and exit.");
    static final Setting LOG_LEVEL = of(
            "--log.level",
            Kind.TEXT,
            "",
            "log.level",
            LogSettings.DEFAULTS.level(),
            "Only log messages with the given severity or above: debug, info, warn, error.");
    static final Setting LOG_FORMAT = of(
            "--log.format",
            Kind.TEXT,
            "",
            "log.format",
            LogSettings.DEFAULTS.format(),
            "Output format of log messages: logfmt, json.");
    static final Setting PGMETRICS_CONFIG = of(
            "--pgmetrics.config",
            Kind.PATH,
            "PGMETRICS_CONFIG",
            "",
            "",
            "pgmetrics YAML configuration file (targets, collectors, queries, timeouts, web, probe).");
    static final Setting NAMING_PROFILE = of(
            "--naming.profile",
            Kind.TEXT,
            "PGMETRICS_NAMING_PROFILE",
            "naming_profile",
            QuerySettings.DEFAULTS.namingProfile().name().toLowerCase(Locale.ROOT),
            "Metric names: compat (postgres_exporter's) or strict (promtool-clean).");
    static final Setting MAX_CONNECTIONS = of(
            "--pgmetrics.max-connections",
            Kind.INT,
            "PGMETRICS_MAX_CONNECTIONS",
            "connections.max_per_target",
            Integer.toString(LimitSettings.DEFAULTS.maxConnectionsPerTarget()),
            "Most connections open to one target, however many scrapers:"
                    + " up to 4 kept for queries (a database each, the default one first) and 1 for pg_up's login check.");
    static final Setting LOGIN_CHECK_INTERVAL = of(
            "--pgmetrics.login-check-interval",
            Kind.DURATION,
            "PGMETRICS_LOGIN_CHECK_INTERVAL",
            "connections.login_check_interval",
            Durations.format(LimitSettings.DEFAULTS.loginCheckInterval()),
            "How often pg_up opens a new"
                    + " connection to prove that the server accepts logins; at once after a kept connection died, and at every"
                    + " scrape while logins fail.");
    static final Setting DATABASE_REFRESH_INTERVAL = of(
            "--pgmetrics.database-refresh-interval",
            Kind.DURATION,
            "PGMETRICS_DATABASE_REFRESH_INTERVAL",
            "connections.database_refresh_interval",
            Durations.format(LimitSettings.DEFAULTS.databaseRefreshInterval()),
            "With more databases than kept connections (4 at the default cap), the databases other than the"
                    + " target's own are read in the background, one short connection each, again once their last read"
                    + " is this old (0s: as often as the connections allow); scrapes serve their last reads, with"
                    + " pgmetrics_database_read_age_seconds.");
    static final Setting MAX_SERIES = of(
            "--pgmetrics.max-series",
            Kind.INT,
            "PGMETRICS_MAX_SERIES",
            "limits.max_series",
            Integer.toString(LimitSettings.DEFAULTS.maxSeriesPerTarget()),
            "Most series one target may have per scrape; more are left out and counted in "
                    + "pgmetrics_series_over_limit_total (0: no limit). Bounds the memory a scrape takes.");
    static final Setting MAX_ROWS = of(
            "--pgmetrics.max-rows",
            Kind.INT,
            "PGMETRICS_MAX_ROWS",
            "limits.max_rows",
            Integer.toString(LimitSettings.DEFAULTS.maxRowsPerQuery()),
            "Ceiling on every query's max_rows (0: each query's own, " + QueryDef.DEFAULT_MAX_ROWS
                    + " unless it says otherwise).");
    static final Setting QUERY_TIMEOUT = of(
            "--pgmetrics.query-timeout",
            Kind.DURATION,
            "PGMETRICS_QUERY_TIMEOUT",
            "timeouts.query",
            Durations.format(LimitSettings.DEFAULTS.queryTimeout()),
            "Default time limit of one query (statement_timeout).");
    static final Setting SCRAPE_TIMEOUT = of(
            "--pgmetrics.scrape-timeout",
            Kind.DURATION,
            "PGMETRICS_SCRAPE_TIMEOUT",
            "timeouts.scrape_default",
            Durations.format(LimitSettings.DEFAULTS.defaultScrapeBudget()),
            "Collection budget when the scraper sends no X-Prometheus-Scrape-Timeout-Seconds.");
    public static final Setting DRY_RUN = of(
            "--dry-run",
            Kind.BOOL,
            "",
            "",
            "false",
            "Load the configuration, connect, print each query's plan, run each once, exit non-zero on any error.");

    static final Setting STATEMENTS_INCLUDE_QUERY = parameter(
            "--collector.stat_statements.include_query",
            Kind.BOOL,
            "stat_statements.include_query",
            "false",
            "Export pg_stat_statements_query_id with the query text.");
    static final Setting STATEMENTS_QUERY_LENGTH = parameter(
            "--collector.stat_statements.query_length",
            Kind.INT,
            "stat_statements.query_length",
            "120",
            "Truncate the exported query text to this many characters.");
    static final Setting STATEMENTS_LIMIT = parameter(
            "--collector.stat_statements.limit",
            Kind.INT,
            "stat_statements.limit",
            "100",
            "Export at most this many statements (top by total time).");
    static final Setting STATEMENTS_EXCLUDE_DATABASES = parameter(
            "--collector.stat_statements.exclude_databases",
            Kind.LIST,
            "stat_statements.exclude_databases",
            "",
            "Databases whose statements are left out (comma-separated).");
    static final Setting STATEMENTS_EXCLUDE_USERS = parameter(
            "--collector.stat_statements.exclude_users",
            Kind.LIST,
            "stat_statements.exclude_users",
            "",
            "Roles whose statements are left out (comma-separated).");

    /** Every setting except the per-collector switches, in --help order. */
    public static final List<Setting> STANDARD = List.of(
            LISTEN,
            SYSTEMD_SOCKET,
            WEB_CONFIG,
            TELEMETRY_PATH,
            ENABLE_RELOAD,
            WEB_MAX_CONNECTIONS,
            WEB_READ_TIMEOUT,
            AUTH_MODULES,
            PROBE_ENABLED,
            PROBE_ALLOWED_TARGETS,
            PROBE_MAX_CONNECTIONS,
            PROBE_IDLE_TIMEOUT,
            DISABLE_DEFAULT,
            DISABLE_SETTINGS,
            AUTO_DISCOVER,
            EXCLUDE_DATABASES,
            INCLUDE_DATABASES,
            EXTEND_QUERY_PATH,
            CONSTANT_LABELS,
            METRIC_PREFIX,
            COLLECTION_TIMEOUT,
            DUMPMAPS,
            STATEMENTS_INCLUDE_QUERY,
            STATEMENTS_QUERY_LENGTH,
            STATEMENTS_LIMIT,
            STATEMENTS_EXCLUDE_DATABASES,
            STATEMENTS_EXCLUDE_USERS,
            LOG_LEVEL,
            LOG_FORMAT,
            PGMETRICS_CONFIG,
            NAMING_PROFILE,
            MAX_CONNECTIONS,
            LOGIN_CHECK_INTERVAL,
            DATABASE_REFRESH_INTERVAL,
            MAX_SERIES,
            MAX_ROWS,
            QUERY_TIMEOUT,
            SCRAPE_TIMEOUT,
            DRY_RUN);

    /** The switch of one collector: {@code --[no-]collector.<name>}, {@code collectors.<name>} in the file. */
    static Setting collector(String name, boolean enabledByDefault) {
        return new Setting(
                "--collector." + name,
                Kind.BOOL,
                "",
                "collectors." + name,
                Boolean.toString(enabledByDefault),
                "Enable the " + name + " collector.",
                "");
    }

    public boolean isCollector() {
        return fileKey.startsWith("collectors.");
    }
}
