package io.pgmetrics.exporter.config;

import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.internal.yaml.Spelling;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.yaml.YamlException;
import io.pgmetrics.exporter.probe.ProbeAllowList;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the layers (flags, environment, our config file, defaults) into an {@link ExporterConfig}.
 * As a {@link ConfigSource} it reads them again on every reload, so a changed file or secret is picked up.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class ConfigLoader implements ConfigSource {

    private final Map<String, List<String>> flags;
    private final Map<String, String> env;
    private final List<Setting> collectorSettings;
    private final Consumer<String> notes;
    private final boolean probeByDefault;

    /**
     * @param flags the parsed command line (flag → values)
     * @param env the environment
     * @param collectorSettings one switch per known collector
     * @param notes receives deprecation notes, logged once logging is set up
     */
    public ConfigLoader(
            Map<String, List<String>> flags,
            Map<String, String> env,
            List<Setting> collectorSettings,
            Consumer<String> notes) {
        this(flags, env, collectorSettings, notes, true);
    }

    /** @param probeByDefault whether /probe is served unless {@link Setting#PROBE_ENABLED} says otherwise */
    public ConfigLoader(
            Map<String, List<String>> flags,
            Map<String, String> env,
            List<Setting> collectorSettings,
            Consumer<String> notes,
            boolean probeByDefault) {
        this.flags = flags;
        this.env = env;
        this.collectorSettings = collectorSettings;
        this.notes = notes;
        this.probeByDefault = probeByDefault;
    }

    /** The layers with our config file read (flag > env > file > default). */
    public Layers layers() throws ConfigException {
        Layers bare = new Layers(flags, env, ConfigFile.NONE);
        Optional<Path> file = bare.path(Setting.PGMETRICS_CONFIG);
        try {
            return new Layers(flags, env, file.isPresent() ? ConfigFile.load(file.get()) : ConfigFile.NONE);
        } catch (YamlException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    @Override
    public ExporterConfig load() throws ConfigException {
        return read(layers());
    }

    /** The configuration from layers already read, so that a caller that needs them too reads the file once. */
    public ExporterConfig read(Layers l) throws ConfigException {
        try {
            return build(l);
        } catch (YamlException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private ExporterConfig build(Layers l) throws ConfigException {
        ExporterConfig.Builder b = ExporterConfig.builder();

        if (l.bool(Setting.SYSTEMD_SOCKET)) {
            throw new ConfigException("flag --web.systemd-socket: systemd socket activation is not supported; "
                    + "use --web.listen-address (and a plain systemd service)");
        }
        List<InetSocketAddress> listen = new ArrayList<>();
        Layers.Raw listenRaw = l.raw(Setting.LISTEN);
        for (String a : l.repeated(Setting.LISTEN)) {
            listen.add(listenAddress(a, listenRaw.source()));
        }
        b.listenAddresses(listen);

        String path = l.text(Setting.TELEMETRY_PATH).strip();
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new ConfigException(
                    l.raw(Setting.TELEMETRY_PATH).source() + ": '" + path + "' must start with /, e.g. /metrics");
        }
        b.telemetryPath(path);
        b.webConfigFile(l.path(Setting.WEB_CONFIG).orElse(null));
        b.enableReload(l.bool(Setting.ENABLE_RELOAD));
        b.httpLimits(new HttpLimits(
                l.integer(Setting.WEB_MAX_CONNECTIONS, 1), l.duration(Setting.WEB_READ_TIMEOUT, Duration.ofMillis(1))));

        Optional<Path> authFile = l.path(Setting.AUTH_MODULES);
        b.authModulesFile(authFile.orElse(null), l.isSet(Setting.AUTH_MODULES));
        if (l.file().at("auth_modules").isPresent()) {
            b.authModules(AuthModules.modules(
                    l.file().at("auth_modules").get(), l.file().base()));
        }

        b.disableDefaultMetrics(l.bool(Setting.DISABLE_DEFAULT));
        b.autoDiscoverDatabases(l.bool(Setting.AUTO_DISCOVER));
        b.includeDatabases(l.list(Setting.INCLUDE_DATABASES));
        b.excludeDatabases(l.list(Setting.EXCLUDE_DATABASES));
        b.legacyQueryFiles(l.paths(Setting.EXTEND_QUERY_PATH));
        b.catalogFiles(filePaths(l, "queries.catalog"));
        b.cnpgFiles(filePaths(l, "queries.cnpg"));
        b.constantLabels(l.map(Setting.CONSTANT_LABELS));

        String prefix = l.text(Setting.METRIC_PREFIX).strip();
        if (!prefix.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            throw new ConfigException(l.raw(Setting.METRIC_PREFIX).source() + ": '" + prefix
                    + "' is not a valid metric name prefix; use letters, digits and _ (default pg)");
        }
        b.metricPrefix(prefix);
        b.collectionTimeout(l.duration(Setting.COLLECTION_TIMEOUT, Duration.ofMillis(1)));
        b.queryTimeout(l.duration(Setting.QUERY_TIMEOUT, Duration.ofMillis(1)));
        b.defaultScrapeBudget(l.duration(Setting.SCRAPE_TIMEOUT, Duration.ofMillis(100)));
        b.maxConnectionsPerTarget(l.integer(Setting.MAX_CONNECTIONS, 1));
        b.loginCheckInterval(l.duration(Setting.LOGIN_CHECK_INTERVAL, Duration.ofSeconds(1)));
        b.databaseRefreshInterval(l.duration(Setting.DATABASE_REFRESH_INTERVAL, Duration.ZERO));
        b.maxSeriesPerTarget(l.integer(Setting.MAX_SERIES, 0));
        b.maxRowsPerQuery(l.integer(Setting.MAX_ROWS, 0));
        b.namingProfile(NamingProfile.parse(l.choice(Setting.NAMING_PROFILE, List.of("compat", "strict"))));

        b.log(new LogSettings(
                l.choice(Setting.LOG_LEVEL, LogSettings.LEVELS), l.choice(Setting.LOG_FORMAT, LogSettings.FORMATS)));
        b.collectors(collectors(l));
        b.parameters(parameters(l));
        b.targets(targets(l));
        probe(l, b);
        return b.build();
    }

    private Map<String, Boolean> collectors(Layers l) throws ConfigException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        Set<String> known = new java.util.HashSet<>();
        for (Setting s : collectorSettings) {
            if (!s.isCollector()) {
                continue;
            }
            known.add(s.fileKey().substring("collectors.".length()));
            if (l.isSet(s)) {
                out.put(s.fileKey().substring("collectors.".length()), l.bool(s));
            }
        }
        for (var e : l.file().keys("collectors").entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new ConfigException(e.getValue() + ": collectors." + e.getKey() + ": no such collector; known: "
                        + new java.util.TreeSet<>(known));
            }
        }
        if (l.bool(Setting.DISABLE_SETTINGS)) {
            notes.accept(l.raw(Setting.DISABLE_SETTINGS).source()
                    + " is deprecated (removed in postgres_exporter v0.20); use --no-collector.settings");
            if (!flags.containsKey("--collector.settings")) {
                out.put("settings", false);
            }
        }
        return out;
    }

    private Map<String, String> parameters(Layers l) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : l.file().keys("parameters").entrySet()) {
            String key = e.getKey();
            if (!key.contains(".")) {
                throw new ConfigException(e.getValue() + ": parameters." + key
                        + ": expected <collector>.<parameter>, e.g. stat_statements.limit");
            }
            out.put(key, l.file().entry("parameters", key).get().asText("parameters." + key));
        }
        List<Setting> all = new ArrayList<>(Setting.STANDARD);
        all.addAll(collectorSettings);
        for (Setting s : all) {
            if (s.parameter().isEmpty() || !l.isSet(s)) {
                continue;
            }
            String value = switch (s.kind()) {
                case BOOL -> Boolean.toString(l.bool(s));
                case INT -> Integer.toString(l.integer(s, 0));
                case LIST -> String.join(",", l.list(s));
                default -> l.text(s);
            };
            out.put(s.parameter(), value);
        }
        // postgres_exporter's --exclude-databases also keeps the database collector from reading those sizes
        List<String> excluded = l.list(Setting.EXCLUDE_DATABASES);
        if (!excluded.isEmpty()) {
            out.putIfAbsent("database.exclude_databases", String.join(",", excluded));
        }
        return out;
    }

    private List<TargetSpec> targets(Layers l) throws ConfigException {
        if (DataSources.present(env)) {
            return DataSources.resolve(env);
        }
        Optional<YamlNode> node = l.file().at("targets");
        if (node.isEmpty()) {
            return List.of();
        }
        List<TargetSpec> out = new ArrayList<>();
        for (YamlNode item : ConfigFile.items(node.get())) {
            String origin = item.location().toString();
            if (item instanceof MapNode m) {
                m.checkKeys(Set.of("dsn", "user", "password", "password_file"), "targets[]");
                String dsn = optText(m, "dsn").orElse("");
                if (dsn.isBlank()) {
                    throw new ConfigException(item.location() + ": targets[].dsn: expected a connection string");
                }
                Optional<String> user = optText(m, "user");
                Optional<String> password = optText(m, "password");
                if (m.get("password_file").isPresent()) {
                    YamlNode pf = m.get("password_file").get();
                    Path file = ConfigFile.path(
                            pf, "targets[].password_file", l.file().base());
                    try {
                        password = Optional.of(Files.readString(file).strip());
                    } catch (IOException e) {
                        throw new ConfigException(pf.location() + ": targets[].password_file: cannot read " + file);
                    }
                }
                out.add(new TargetSpec(dsn, user, password, origin));
            } else {
                out.add(new TargetSpec(item.asText("targets[]"), origin));
            }
        }
        return out;
    }

    private static Optional<String> optText(MapNode m, String key) {
        return m.get(key).map(n -> n.asText("targets[]." + key));
    }

    private void probe(Layers l, ExporterConfig.Builder b) throws ConfigException {
        b.probeEnabled(l.isSet(Setting.PROBE_ENABLED) ? l.bool(Setting.PROBE_ENABLED) : probeByDefault);
        List<String> allowed = l.list(Setting.PROBE_ALLOWED_TARGETS);
        String source = l.raw(Setting.PROBE_ALLOWED_TARGETS).source();
        b.probeAllowedTargets(ProbeAllowList.checked(allowed, source));
        Optional<YamlNode> size = l.file().at("probe.cache_size");
        if (size.isPresent()) {
            int n = Spelling.PGMETRICS.integer(size.get(), "probe.cache_size");
            if (n < 0) {
                throw new ConfigException(size.get().location()
                        + ": probe.cache_size: expected a whole number of at least 0, got '" + n + "'");
            }
            b.probeCacheSize(n);
        }
        Optional<YamlNode> ttl = l.file().at("probe.cache_ttl");
        if (ttl.isPresent()) {
            YamlNode t = ttl.get();
            b.probeCacheTtl(Layers.atLeast(
                    Spelling.PGMETRICS.duration(t, "probe.cache_ttl"),
                    t.asText("probe.cache_ttl"),
                    t.location() + ": probe.cache_ttl",
                    Duration.ZERO));
        }
        if (l.isSet(Setting.PROBE_IDLE_TIMEOUT) || ttl.isEmpty()) {
            b.probeCacheTtl(l.duration(Setting.PROBE_IDLE_TIMEOUT, Duration.ofSeconds(1)));
        }
        int budget = l.integer(Setting.PROBE_MAX_CONNECTIONS, 1);
        int perTarget = l.integer(Setting.MAX_CONNECTIONS, 1);
        if (budget < perTarget) {
            throw new ConfigException(l.raw(Setting.PROBE_MAX_CONNECTIONS).source() + ": " + budget
                    + " is below one target's connections (" + perTarget + ", " + Setting.MAX_CONNECTIONS.flag() + ")");
        }
        b.probeMaxConnections(budget);
    }

    private static List<Path> filePaths(Layers l, String key) {
        Optional<YamlNode> node = l.file().at(key);
        List<Path> out = new ArrayList<>();
        if (node.isPresent()) {
            for (YamlNode item : ConfigFile.items(node.get())) {
                out.add(ConfigFile.path(item, key, l.file().base()));
            }
        }
        return out;
    }

    /** {@code :9187}, {@code 0.0.0.0:9187}, {@code localhost:9187}, {@code [::1]:9187}. */
    static InetSocketAddress listenAddress(String text, String source) throws ConfigException {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(source + ": '" + text + "' has no port; write it like :9187 or 127.0.0.1:9187");
        }
        String host = t.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(
                    source + ": '" + text + "' has no valid port; write it like :9187 or 127.0.0.1:9187");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
