package io.pgmetrics.exporter.config;

import io.pgmetrics.core.catalog.NamingProfile;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which queries run, where, and how their series are named and labelled.
 *
 * @param legacyQueryFiles custom queries in postgres_exporter's format (--extend.query-path)
 * @param catalogFiles custom queries in pgmetrics' own catalog format
 * @param cnpgFiles custom queries in CloudNativePG's format
 * @param disableDefaultMetrics leave out the legacy built-in namespaces and pg_static
 * @param autoDiscoverDatabases run legacy custom queries in every database (with a datname label)
 * @param includeDatabases databases per-database queries run in (names or globs; empty = all)
 * @param excludeDatabases databases left out
 * @param collectors collectors switched on (true) or off (false) explicitly; others keep their default
 * @param parameters query parameters, {@code <collector>.<name>} → value (stat_statements.limit …)
 * @param namingProfile compat (postgres_exporter's names) or strict (promtool-clean names)
 * @param constantLabels labels added to every series
 * @param metricPrefix replaces the leading "pg" of legacy namespaces
 */
public record QuerySettings(
        List<Path> legacyQueryFiles,
        List<Path> catalogFiles,
        List<Path> cnpgFiles,
        boolean disableDefaultMetrics,
        boolean autoDiscoverDatabases,
        List<String> includeDatabases,
        List<String> excludeDatabases,
        Map<String, Boolean> collectors,
        Map<String, String> parameters,
        NamingProfile namingProfile,
        Map<String, String> constantLabels,
        String metricPrefix) {

    public static final QuerySettings DEFAULTS = new QuerySettings(
            List.of(),
            List.of(),
            List.of(),
            false,
            false,
            List.of(),
            List.of(),
            Map.of(),
            Map.of(),
            NamingProfile.COMPAT,
            Map.of(),
            "pg");

    public QuerySettings {
        legacyQueryFiles = List.copyOf(legacyQueryFiles);
        catalogFiles = List.copyOf(catalogFiles);
        cnpgFiles = List.copyOf(cnpgFiles);
        includeDatabases = List.copyOf(includeDatabases);
        excludeDatabases = List.copyOf(excludeDatabases);
        collectors = ordered(collectors);
        parameters = ordered(parameters);
        Objects.requireNonNull(namingProfile, "namingProfile");
        constantLabels = ordered(constantLabels);
        Objects.requireNonNull(metricPrefix, "metricPrefix");
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
