package io.pgmetrics.exporter.config;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.exporter.scrape.Catalogs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of an exporter started without a command line (the java agent): the
 * environment variables and, optionally, a pgmetrics config file, resolved with the same layers,
 * defaults and messages as {@link io.pgmetrics.exporter.Main} (environment &gt; file &gt; default).
 */
public final class EnvironmentConfig {

    private static final System.Logger LOG = System.getLogger(EnvironmentConfig.class.getName());

    private EnvironmentConfig() {}

    /**
     * Resolves and checks the configuration.
     *
     * @param env the environment variables (DATA_SOURCE_NAME, PG_EXPORTER_*, PGMETRICS_* …)
     * @param configFile a pgmetrics config file, as if given with --pgmetrics.config
     * @throws ConfigException for a configuration mistake, with a one-line message
     */
    public static ExporterConfig load(Map<String, String> env, Optional<Path> configFile) throws ConfigException {
        return load(env, configFile, true);
    }

    /**
     * As {@link #load(Map, Optional)}, with /probe served by default or not: a host application (the
     * agent) serves it only when {@code PGMETRICS_PROBE_ENABLED} or {@code probe.enabled} asks for it.
     */
    public static ExporterConfig load(Map<String, String> env, Optional<Path> configFile, boolean probeByDefault)
            throws ConfigException {
        return source(env, configFile, probeByDefault).load();
    }

    /**
     * The sources of {@link #load(Map, Optional, boolean)}, read again at each call: what a running
     * {@link io.pgmetrics.exporter.Exporter} reloads from.
     */
    public static ConfigSource source(Map<String, String> env, Optional<Path> configFile, boolean probeByDefault) {
        Catalog builtin = Catalogs.builtin();
        Map<String, List<String>> flags = configFile
                .map(f -> Map.of(Setting.PGMETRICS_CONFIG.flag(), List.of(f.toString())))
                .orElse(Map.of());
        return new ConfigLoader(
                flags,
                Map.copyOf(env),
                KnownCollectors.settings(builtin),
                note -> LOG.log(System.Logger.Level.WARNING, note),
                probeByDefault);
    }
}
