package io.pgmetrics.exporter.scrape;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.CatalogOverlay;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.core.yaml.CnpgQueriesYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.core.yaml.LoadedQueries;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ExporterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles the catalog a configuration asks for: the built-in queries (less the legacy namespaces
 * with --disable-default-metrics), the collectors switched on and off, and the custom query files
 * in postgres_exporter's, CloudNativePG's or our own format.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Catalogs {

    /**
     * The built-in collectors that stand for postgres_exporter's legacy engine (pg_stat_database_conflicts
     * and pg_static): --disable-default-metrics removes them, and their series carry the server label.
     */
    static final Set<String> LEGACY_BUILTIN = Set.of("stat_database_conflicts", "static");
    /** Of those, the namespaces --metric-prefix renames (pg_static keeps its name, as in postgres_exporter). */
    static final Set<String> PREFIXED_BUILTIN = Set.of("stat_database_conflicts");

    private static final System.Logger LOG = System.getLogger(Catalogs.class.getName());

    private static final Catalog BUILTIN = io.pgmetrics.queries.BuiltinCatalog.load();

    /**
     * The result of loading.
     *
     * @param catalog the queries that run
     * @param serverLabeled queries whose series carry the server label (legacy engine)
     * @param prefixed queries whose names --metric-prefix changes
     * @param plainFamilies families of the other queries, which the legacy rules leave alone even when their
     *     names start like a legacy namespace (a custom pg_replication next to the built-in pg_replication_lag_seconds)
     * @param files every custom-query file of postgres_exporter's format, with its hash and whether it loaded
     * @param replaced what the custom queries took from the built-in ones
     */
    public record Assembled(
            Catalog catalog,
            Set<String> serverLabeled,
            Set<String> prefixed,
            Set<String> plainFamilies,
            List<FileStatus> files,
            List<CatalogOverlay.Replacement> replaced) {}

    /** A custom-query file as postgres_exporter reports it in pg_exporter_user_queries_load_error. */
    public record FileStatus(String filename, String hashsum, boolean failed) {}

    /** Thrown when a custom-query file is wrong; carries every file's status for the load-error metric. */
    static final class LoadFailure extends ConfigException {
        private static final long serialVersionUID = 1L;
        final transient List<FileStatus> files;

        LoadFailure(String message, List<FileStatus> files) {
            super(message);
            this.files = List.copyOf(files);
        }
    }

    private Catalogs() {}

    /** The built-in catalog (read once; immutable). */
    public static Catalog builtin() {
        return BUILTIN;
    }

    public static Assembled assemble(ExporterConfig config) throws ConfigException {
        Catalog base = builtin();
        if (config.queries().disableDefaultMetrics()) {
            base = base.filter(q -> !LEGACY_BUILTIN.contains(q.collector()));
        }
        Set<String> legacy = new HashSet<>();
        Set<String> prefixed = new HashSet<>();
        for (QueryDef q : base.queries()) {
            if (LEGACY_BUILTIN.contains(q.collector())) {
                legacy.add(q.name());
            }
            if (PREFIXED_BUILTIN.contains(q.collector())) {
                prefixed.add(q.name());
            }
        }
        CustomQueries custom = new CustomQueries();
        List<FileStatus> files = new ArrayList<>();
        String firstError = null;
        for (Path file : config.queries().legacyQueryFiles()) {
            try {
                LoadedQueries loaded = LegacyQueriesYaml.read(file);
                files.add(new FileStatus(file.toString(), loaded.hashsum(), false));
                for (QueryDef q : loaded.catalog().queries()) {
                    legacy.add(q.name());
                    prefixed.add(q.name());
                    custom.add(
                            config.queries().autoDiscoverDatabases() && q.role() != ServerRole.PRIMARY
                                    ? q.toBuilder().scope(Scope.DATABASE).buildUnchecked()
                                    : q,
                            loaded.location(q.name()));
                }
            } catch (CatalogException e) {
                files.add(new FileStatus(file.toString(), LegacyQueriesYaml.sha256(file), true));
                if (firstError == null) {
                    firstError = describe(file, e);
                }
            }
        }
        if (firstError != null) {
            throw new LoadFailure(firstError, files);
        }
        for (Path file : config.queries().cnpgFiles()) {
            try {
                custom.addCnpg(CnpgQueriesYaml.read(file));
            } catch (CatalogException e) {
                throw new ConfigException(describe(file, e));
            }
        }
        for (Path file : config.queries().catalogFiles()) {
            try {
                LoadedQueries loaded = CatalogYaml.load(file);
                loaded.catalog().queries().forEach(q -> custom.add(q, loaded.location(q.name())));
            } catch (CatalogException e) {
                throw new ConfigException(describe(file, e));
            }
        }
        Set<String> enable = new HashSet<>();
        Set<String> disable = new HashSet<>();
        config.queries().collectors().forEach((name, on) -> (on ? enable : disable).add(name));
        CatalogOverlay.Result overlay;
        try {
            // a custom query replaces the built-in families it declares, and only those
            overlay = CatalogOverlay.apply(
                    base.select(enable, disable),
                    custom.catalog().select(enable, disable),
                    config.queries().namingProfile());
        } catch (CatalogException e) {
            throw new ConfigException("custom queries clash with the built-in catalog: " + first(e));
        }
        for (CatalogOverlay.Replacement r : overlay.replacements()) {
            LOG.log(System.Logger.Level.INFO, r.describe(config.queries().namingProfile()));
        }
        return new Assembled(
                overlay.catalog(),
                legacy,
                prefixed,
                plainFamilies(overlay.catalog(), legacy),
                files,
                overlay.replacements());
    }

    /** The families of queries outside the legacy engine, which its namespace rules must leave alone. */
    private static Set<String> plainFamilies(Catalog catalog, Set<String> legacy) {
        Set<String> out = new HashSet<>();
        for (QueryDef q : catalog.queries()) {
            if (legacy.contains(q.name()) || LEGACY_BUILTIN.contains(q.collector())) {
                continue;
            }
            for (ColumnDef c : q.columns()) {
                for (NamingProfile p : NamingProfile.values()) {
                    if (c.usage(p).isMetric() && c.nameFrom().isEmpty()) {
                        out.add(q.metricName(c, p));
                    }
                }
            }
        }
        return out;
    }

    private static String describe(Path file, CatalogException e) {
        String m = first(e);
        return m.startsWith(file.toString()) ? m : file + ": " + m;
    }

    static String first(CatalogException e) {
        if (e.problems().isEmpty()) {
            return e.getMessage();
        }
        String first = e.problems().get(0).toString().replace('\n', ' ');
        int more = e.problems().size() - 1;
        return more == 0
                ? first
                : first + " (and " + more + " more problem" + (more == 1 ? "" : "s") + "; run --dry-run to list them)";
    }

    /** Collector → queries, for the landing page and --dumpmaps. */
    public static Map<String, List<QueryDef>> byCollector(Catalog catalog) {
        Map<String, List<QueryDef>> out = new LinkedHashMap<>();
        for (QueryDef q : catalog.queries()) {
            out.computeIfAbsent(q.collector(), k -> new ArrayList<>()).add(q);
        }
        return out;
    }
}
