package io.pgmetrics.exporter.config;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.QueryDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The collectors that get a {@code --[no-]collector.<name>} switch: postgres_exporter's 26 (so that
 * every existing command line parses) and every other collector of the built-in catalog. A
 * collector is on by default when any of its queries is.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class KnownCollectors {

    /** postgres_exporter v0.20's collectors and whether each is on by default. */
    public static final Map<String, Boolean> POSTGRES_EXPORTER = postgresExporter();

    private KnownCollectors() {}

    private static Map<String, Boolean> postgresExporter() {
        Set<String> on = Set.of(
                "database",
                "locks",
                "replication",
                "replication_slots",
                "roles",
                "settings",
                "stat_activity",
                "stat_archiver",
                "stat_bgwriter",
                "stat_database",
                "stat_progress_vacuum",
                "stat_replication",
                "stat_user_tables",
                "statio_user_tables",
                "wal");
        List<String> all = List.of(
                "buffercache_summary",
                "database",
                "database_wraparound",
                "locks",
                "long_running_transactions",
                "postmaster",
                "process_idle",
                "replication",
                "replication_slots",
                "roles",
                "settings",
                "stat_activity",
                "stat_activity_autovacuum",
                "stat_archiver",
                "stat_bgwriter",
                "stat_checkpointer",
                "stat_database",
                "stat_progress_vacuum",
                "stat_replication",
                "stat_statements",
                "stat_user_tables",
                "stat_wal_receiver",
                "statio_user_indexes",
                "statio_user_tables",
                "wal",
                "xlog_location");
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String c : all) {
            m.put(c, on.contains(c));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Collector name → on by default, postgres_exporter's first, then the catalog's others, sorted. */
    public static Map<String, Boolean> of(Catalog builtin) {
        Map<String, Boolean> fromCatalog = new java.util.TreeMap<>();
        for (QueryDef q : builtin.queries()) {
            fromCatalog.merge(q.collector(), q.enabledByDefault(), Boolean::logicalOr);
        }
        Map<String, Boolean> out = new LinkedHashMap<>();
        POSTGRES_EXPORTER.forEach((name, on) -> out.put(name, fromCatalog.getOrDefault(name, on)));
        fromCatalog.forEach(out::putIfAbsent);
        return out;
    }

    /** One switch per collector, then one {@code --collector.<collector>.<parameter>} per catalog parameter without a standard flag. */
    public static List<Setting> settings(Catalog builtin) {
        List<Setting> out = new ArrayList<>();
        of(builtin).forEach((name, on) -> out.add(Setting.collector(name, on)));
        Set<String> standard = new java.util.HashSet<>();
        Setting.STANDARD.forEach(s -> standard.add(s.parameter()));
        Map<String, String> parameters = new java.util.TreeMap<>();
        for (QueryDef q : builtin.queries()) {
            q.parameters().forEach((name, def) -> parameters.putIfAbsent(q.collector() + "." + name, def));
        }
        parameters.forEach((key, def) -> {
            if (!standard.contains(key)) {
                out.add(Setting.parameter(
                        "--collector." + key,
                        Setting.Kind.TEXT,
                        key,
                        def,
                        "Query parameter " + key.substring(key.indexOf('.') + 1) + " of the "
                                + key.substring(0, key.indexOf('.')) + " collector."));
            }
        });
        return out;
    }
}
