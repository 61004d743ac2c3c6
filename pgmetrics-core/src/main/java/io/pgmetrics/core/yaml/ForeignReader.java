package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.catalog.VersionRange;
import io.pgmetrics.core.internal.yaml.Messages;
import io.pgmetrics.core.internal.yaml.SourceText;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlNode.Entry;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.internal.yaml.YamlNode.Scalar;
import io.pgmetrics.core.internal.yaml.YamlTree;
import io.pgmetrics.core.yaml.MapView.Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads postgres_exporter's custom-queries file ({@code --extend.query-path}) and CloudNativePG's dialect of
 * it into the model. The files are accepted unchanged; where the peers silently drop something (an unknown
 * usage, an empty query) this reader reports an error, and where they parse a key without effect
 * ({@code runonserver}, {@code metric_mapping}, {@code cache_seconds}) it honours the key.
 */
final class ForeignReader {

    enum Flavor {
        POSTGRES_EXPORTER(
                "postgres_exporter",
                List.of("query", "master", "cache_seconds", "runonserver", "metrics"),
                List.of("usage", "description", "metric_mapping", "pg_version"),
                UndeclaredColumns.UNTYPED,
                otherDialects(CNPG_QUERY_KEYS, NATIVE_GATES),
                Map.of("name", CNPG_PLACE)),
        CLOUDNATIVEPG(
                "CloudNativePG",
                List.of(
                        "query",
                        "name",
                        "primary",
                        "master",
                        "runonserver",
                        "target_databases",
                        "predicate_query",
                        "cache_seconds",
                        "metrics"),
                List.of("usage", "description", "metric_mapping", "name", "pg_version"),
                UndeclaredColumns.IGNORE,
                otherDialects(List.of(), NATIVE_GATES),
                Map.of());

        final String title;
        final List<String> queryKeys;
        final List<String> columnKeys;
        /** postgres_exporter exports undeclared numeric columns untyped; CloudNativePG never exports them. */
        final UndeclaredColumns undeclared;
        /**
         * Keys of another dialect, each with the place that honours it: the peers would ignore them, and a gate
         * ignored runs a query its author meant to hold back, so they are errors rather than unknown keys.
         */
        final Map<String, String> foreignQueryKeys;

        final Map<String, String> foreignColumnKeys;

        Flavor(
                String title,
                List<String> queryKeys,
                List<String> columnKeys,
                UndeclaredColumns undeclared,
                Map<String, String> foreignQueryKeys,
                Map<String, String> foreignColumnKeys) {
            this.title = title;
            this.queryKeys = queryKeys;
            this.columnKeys = columnKeys;
            this.undeclared = undeclared;
            this.foreignQueryKeys = foreignQueryKeys;
            this.foreignColumnKeys = foreignColumnKeys;
        }
    }

    private static final String CNPG_PLACE =
            "CloudNativePG's format, which honours it (the exporter's queries.cnpg;" + " CnpgQueriesYaml in Java)";
    private static final String NATIVE_PLACE = "pgmetrics' own catalog format, which honours it (the exporter's"
            + " queries.catalog; CatalogYaml in Java)";
    private static final List<String> CNPG_QUERY_KEYS =
            List.of("name", "primary", "target_databases", "predicate_query");
    /** Our format's keys that decide whether, where or when a query runs. */
    private static final List<String> NATIVE_GATES =
            List.of("predicate", "role", "scope", "databases", "extensions", "variants", "enabled");

    private static Map<String, String> otherDialects(List<String> cnpg, List<String> nativeGates) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        cnpg.forEach(k -> out.put(k, CNPG_PLACE));
        nativeGates.forEach(k -> out.put(k, NATIVE_PLACE));
        return Map.copyOf(out);
    }

    private static final Pattern PREFIX = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?");

    private final Flavor flavor;
    private final String prefix;
    private final Problems problems = new Problems();

    private ForeignReader(Flavor flavor, String prefix) {
        this.flavor = flavor;
        this.prefix = prefix;
    }

    /** The catalog and the warnings; @throws io.pgmetrics.core.catalog.CatalogException with every error */
    static LoadedQueries read(SourceText source, Flavor flavor, String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new io.pgmetrics.core.catalog.CatalogException(Problem.of(
                            null,
                            null,
                            null,
                            "the metric prefix '" + Messages.abbreviate(String.valueOf(prefix))
                                    + "' is not valid; use letters, digits and underscores, e.g. cnpg_, or nothing")
                    .at(source.name()));
        }
        ForeignReader reader = new ForeignReader(flavor, prefix);
        YamlNode root = YamlTree.parse(source.text(), source.name());
        List<CatalogAssembler.Loaded> loaded = new ArrayList<>();
        if (!(root instanceof Scalar s && s.isNull())) { // an empty file holds no queries, as for the peers
            MapView.of(
                            root,
                            reader.problems,
                            Dialect.FOREIGN,
                            null,
                            null,
                            "the file",
                            "app_queue: {query: SELECT ..., metrics: [...]}")
                    .ifPresent(top -> {
                        top.checkKeys(
                                top.entries().stream().map(Entry::key).toList()); // reports repeated namespaces only
                        for (Entry e : ((MapNode) root).entries()) {
                            reader.query(e).ifPresent(loaded::add);
                        }
                    });
        }
        var catalog = CatalogAssembler.assemble(loaded, reader.problems, reader::inFileTerms);
        return new LoadedQueries(
                catalog, source.sha256(), reader.problems.warnings(), CatalogAssembler.locations(loaded));
    }

    private Optional<CatalogAssembler.Loaded> query(Entry namespace) {
        int before = problems.errorCount();
        String ns = namespace.key();
        Optional<MapView> view = MapView.of(
                namespace.value(),
                problems,
                Dialect.FOREIGN,
                ns,
                null,
                "namespace '" + Messages.abbreviate(ns) + "'",
                ns + ": {query: SELECT ..., metrics: [...]}");
        if (view.isEmpty()) {
            return Optional.empty();
        }
        if (flavor == Flavor.CLOUDNATIVEPG) {
            ns = view.get()
                    .text("name")
                    .filter(n -> !n.isBlank())
                    .orElse(ns); // several keys may publish under one name
        }
        String queryName = prefix + ns;
        MapView v = view.get().in(queryName, null);
        checkKeys(v, flavor.queryKeys, flavor.foreignQueryKeys, queryName, null);
        QueryTrace trace = new QueryTrace(namespace.keyLocation());
        trace.field("name", v.valueLocation("name").or(() -> Optional.of(namespace.keyLocation())))
                .field("sql", v.valueLocation("query"))
                .field("variants", v.valueLocation("runonserver"))
                .field("predicate", v.valueLocation("predicate_query"))
                .field("ttl", v.valueLocation("cache_seconds"))
                .field("databases", v.valueLocation("target_databases"))
                .field("columns", v.valueLocation("metrics"));

        QueryDef.Builder b = QueryDef.builder(queryName).collector(ns).undeclaredColumns(flavor.undeclared);
        Optional<String> sql = v.text("query").filter(q -> !q.isBlank());
        if (sql.isEmpty()) {
            problems.error(
                    v.valueLocation("query").orElse(namespace.keyLocation()),
                    queryName,
                    null,
                    "query",
                    "the query is empty (postgres_exporter would skip this namespace without a word); write the SQL under query:, or remove the namespace");
        }
        boolean primary = v.bool("master").orElse(false);
        if (flavor == Flavor.CLOUDNATIVEPG) {
            primary |= v.bool("primary").orElse(false);
        }
        b.role(primary ? ServerRole.PRIMARY : ServerRole.ANY);
        v.integer("cache_seconds").ifPresent(seconds -> {
            if (seconds < 0) {
                problems.error(
                        v.valueLocation("cache_seconds").orElseThrow(),
                        queryName,
                        null,
                        "cache_seconds",
                        "must not be negative; write the number of seconds to reuse a result, or 0");
            } else {
                b.ttl(Duration.ofSeconds(seconds));
            }
        });
        List<VersionRange> ranges = List.of(VersionRange.ALL);
        Optional<String> runOnServer = v.text("runonserver");
        if (runOnServer.isPresent()) {
            try {
                ranges = SemverRange.parse(runOnServer.get());
            } catch (IllegalArgumentException e) {
                problems.error(
                        v.valueLocation("runonserver").orElseThrow(), queryName, null, "runonserver", e.getMessage());
            }
        }
        for (int i = 0; i < ranges.size() && sql.isPresent(); i++) {
            b.variant(ranges.get(i), sql.get());
            trace.field("variants[" + i + "].sql", v.valueLocation("query"));
        }
        if (flavor == Flavor.CLOUDNATIVEPG) {
            v.textList("target_databases", "[app, \"tenant_*\"]")
                    .filter(l -> !l.isEmpty())
                    .ifPresent(dbs -> b.scope(Scope.DATABASE).databases(dbs));
            v.text("predicate_query").filter(p -> !p.isBlank()).ifPresent(b::predicate);
        }
        v.list("metrics", "[{pending: {usage: GAUGE, description: Jobs waiting}}]")
                .ifPresent(list -> {
                    for (YamlNode item : list.items()) {
                        MapView.of(
                                        item,
                                        problems,
                                        Dialect.FOREIGN,
                                        queryName,
                                        null,
                                        "an entry of metrics",
                                        "- pending: {usage: GAUGE, description: Jobs waiting}")
                                .ifPresent(columns -> {
                                    for (Entry c : columns.entries()) {
                                        column(c, queryName, trace).ifPresent(b::column);
                                    }
                                });
                    }
                });
        return Optional.of(new CatalogAssembler.Loaded(b.buildUnchecked(), trace, problems.errorCount() == before));
    }

    private Optional<ColumnDef> column(Entry entry, String queryName, QueryTrace trace) {
        int before = problems.errorCount();
        String name = entry.key();
        QueryTrace.ColumnTrace ct =
                trace.column(name, entry.keyLocation()).field("name", Optional.of(entry.keyLocation()));
        if (entry.value() instanceof Scalar s && s.isNull()) {
            problems.error(
                    entry.keyLocation(),
                    queryName,
                    name,
                    "usage",
                    "the column has no usage (postgres_exporter would" + " discard it without a word); write " + name
                            + ": {usage: GAUGE} or another of " + usageList());
            return Optional.empty();
        }
        Optional<MapView> view = MapView.of(
                entry.value(),
                problems,
                Dialect.FOREIGN,
                queryName,
                name,
                "the options of column '" + Messages.abbreviate(name) + "'",
                "{usage: GAUGE, description: ...}");
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MapView v = view.get();
        checkKeys(v, flavor.columnKeys, flavor.foreignColumnKeys, queryName, name);
        ct.field("usage", v.valueLocation("usage"))
                .field("scale", v.valueLocation("usage"))
                .field("mapping", v.valueLocation("metric_mapping"))
                .field("rename", v.valueLocation("name"));
        Optional<Usage> usage = Optional.empty();
        if (v.value("usage").isEmpty()) {
            problems.error(
                    v.valueLocation("usage").orElse(entry.keyLocation()),
                    queryName,
                    name,
                    "usage",
                    "the column has no usage (postgres_exporter would discard it without a word); add usage: with one of "
                            + usageList());
        } else {
            usage = v.choice("usage", NativeReader.USAGES);
        }
        String help = v.text("description").orElse("");
        Optional<String> rename =
                flavor == Flavor.CLOUDNATIVEPG ? v.text("name").filter(n -> !n.isBlank()) : Optional.empty();
        Optional<Map<String, Double>> mapping = v.numberMap("metric_mapping", "{ok: 0, failing: 1}");
        v.keyLocation("pg_version")
                .ifPresent(
                        at -> problems.warn(
                                at,
                                queryName,
                                name,
                                "pg_version",
                                "pg_version has no effect (the peers ignore it too); put version conditions in the namespace's runonserver"));
        if (problems.errorCount() > before || usage.isEmpty()) {
            return Optional.empty();
        }
        ColumnDef.Builder c = ColumnDef.builder(name, usage.get()).help(help);
        rename.ifPresent(c::rename);
        if (usage.get() == Usage.DURATION) {
            // our DURATION yields seconds; the peers' name promises milliseconds, so keep both the name and the unit
            c.rename(rename.orElse(name) + "_milliseconds").scale(1000);
        }
        if (mapping.isPresent() && usage.get() == Usage.MAPPEDMETRIC) {
            c.mapping(mapping.get());
        } else if (mapping.isPresent()) {
            problems.warn(
                    v.keyLocation("metric_mapping").orElseThrow(),
                    queryName,
                    name,
                    "metric_mapping",
                    "metric_mapping only applies to usage MAPPEDMETRIC; it is ignored here");
        }
        return Optional.of(c.build());
    }

    /** Unknown keys are warnings; another dialect's keys are errors that say where they belong. */
    private void checkKeys(
            MapView v, List<String> allowed, Map<String, String> foreign, String queryName, String column) {
        List<String> known = new ArrayList<>(allowed);
        known.addAll(foreign.keySet());
        v.checkKeys(known);
        for (Entry e : v.entries()) {
            String place = foreign.get(e.key());
            if (place != null) {
                problems.error(
                        e.keyLocation(),
                        queryName,
                        column,
                        e.key(),
                        Messages.key(e.key()) + " is not a key of " + flavor.title
                                + "'s format, which would ignore it; write the query in " + place);
            }
        }
    }

    /** The validator's field names and hints, in this file's keys. */
    private Problem inFileTerms(Problem p) {
        String field = p.field()
                .map(f -> switch (f.contains("[") ? f.substring(0, f.indexOf('[')) : f) {
                    case "sql" -> "query";
                    case "variants" -> f.endsWith(".sql") ? "query" : "runonserver";
                    case "predicate" -> "predicate_query";
                    case "ttl" -> "cache_seconds";
                    case "databases" -> "target_databases";
                    case "columns" -> "metrics";
                    case "mapping" -> "metric_mapping";
                    case "rename" -> "name";
                    default -> f;
                })
                .orElse(null);
        String renameHint = flavor == Flavor.CLOUDNATIVEPG
                ? "give one column a name: override, or alias it in SQL"
                : "alias one column differently in SQL";
        String message = p.message()
                .replace("mapping: {", "metric_mapping: {")
                .replace("rename one (rename:)", renameHint)
                .replace(
                        "rename the column (rename:) or remove one of the queries",
                        renameHint + ", or remove one of the namespaces");
        return new Problem(p.location(), p.query(), p.column(), Optional.ofNullable(field), message);
    }

    private static String usageList() {
        return String.join(", ", NativeReader.USAGES.keySet());
    }
}
