package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.catalog.VersionRange;
import io.pgmetrics.core.internal.yaml.SourceText;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlTree;
import io.pgmetrics.core.yaml.MapView.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Reads our own catalog format (see docs/query-authors.md) into the model, reporting every problem. */
final class NativeReader {

    static final List<String> TOP_KEYS = List.of("queries");
    static final List<String> QUERY_KEYS = List.of(
            "name",
            "collector",
            "help",
            "scope",
            "role",
            "extensions",
            "predicate",
            "ttl",
            "refresh_in_background",
            "timeout",
            "max_rows",
            "enabled",
            "databases",
            "undeclared_columns",
            "parameters",
            "sql",
            "variants",
            "columns");
    static final List<String> VARIANT_KEYS = List.of("min_version", "max_version", "sql");
    static final List<String> COLUMN_KEYS = List.of(
            "name",
            "usage",
            "rename",
            "metric",
            "help",
            "scale",
            "default",
            "unit",
            "mapping",
            "strict",
            "name_from",
            "help_from");
    static final List<String> STRICT_KEYS = List.of("metric", "usage");

    static final Map<String, Scope> SCOPES = ordered("cluster", Scope.CLUSTER, "database", Scope.DATABASE);
    static final Map<String, ServerRole> ROLES =
            ordered("any", ServerRole.ANY, "primary", ServerRole.PRIMARY, "replica", ServerRole.REPLICA);
    static final Map<String, UndeclaredColumns> UNDECLARED =
            ordered("ignore", UndeclaredColumns.IGNORE, "untyped", UndeclaredColumns.UNTYPED);
    static final Map<String, Usage> USAGES = usages();

    private static final String QUERY_EXAMPLE = "{name: app_queue, sql: SELECT ..., columns: [...]}";
    private static final String COLUMN_EXAMPLE = "{name: pending, usage: GAUGE}";

    private final Problems problems = new Problems();

    static Catalog read(SourceText source) {
        return load(source).catalog();
    }

    /** The catalog with its hash and where each query was written (our format has no warnings). */
    static LoadedQueries load(SourceText source) {
        List<CatalogAssembler.Loaded> loaded = new ArrayList<>();
        Catalog catalog = new NativeReader().catalog(YamlTree.parse(source.text(), source.name()), loaded);
        return new LoadedQueries(catalog, source.sha256(), List.of(), CatalogAssembler.locations(loaded));
    }

    private Catalog catalog(YamlNode root, List<CatalogAssembler.Loaded> loaded) {
        if (root instanceof YamlNode.Scalar s && s.isNull()) {
            problems.error(
                    root.location(),
                    null,
                    null,
                    null,
                    "the file is empty; write queries: followed by a list of queries");
            return CatalogAssembler.assemble(loaded, problems, UnaryOperator.identity());
        }
        Optional<MapView> top =
                MapView.of(root, problems, Dialect.STRICT, null, null, "the file", "queries: [" + QUERY_EXAMPLE + "]");
        top.ifPresent(t -> {
            t.checkKeys(TOP_KEYS);
            if (!t.require("queries", "start the file with queries: followed by a list of queries")) {
                t.list("queries", "[" + QUERY_EXAMPLE + "]").ifPresent(list -> {
                    for (YamlNode item : list.items()) {
                        query(item).ifPresent(loaded::add);
                    }
                });
            }
        });
        return CatalogAssembler.assemble(loaded, problems, UnaryOperator.identity());
    }

    private Optional<CatalogAssembler.Loaded> query(YamlNode node) {
        int before = problems.errorCount();
        Optional<MapView> view = MapView.of(node, problems, Dialect.STRICT, null, null, "a query", QUERY_EXAMPLE);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MapView unnamed = view.get();
        unnamed.require("name", "add name: with the metric prefix, e.g. name: app_queue");
        String name = unnamed.text("name").orElse(null);
        MapView v = unnamed.in(name, null);
        v.checkKeys(QUERY_KEYS);
        QueryTrace trace = new QueryTrace(v.location());
        for (String field : List.of(
                "name",
                "predicate",
                "ttl",
                "refresh_in_background",
                "timeout",
                "max_rows",
                "databases",
                "columns",
                "parameters")) {
            trace.field(field, v.valueLocation(field));
        }

        QueryDef.Builder b = QueryDef.builder(name == null ? "" : name);
        v.text("collector").ifPresent(b::collector);
        v.text("help").ifPresent(b::help);
        v.choice("scope", SCOPES).ifPresent(b::scope);
        v.choice("role", ROLES).ifPresent(b::role);
        v.textList("extensions", "[pg_stat_statements]").ifPresent(b::extensions);
        v.text("predicate").ifPresent(b::predicate);
        v.duration("ttl").ifPresent(b::ttl);
        v.bool("refresh_in_background").ifPresent(b::refreshInBackground);
        v.duration("timeout").ifPresent(b::timeout);
        v.integer("max_rows").ifPresent(b::maxRows);
        v.bool("enabled").ifPresent(b::enabledByDefault);
        v.textList("databases", "[\"app*\"]").ifPresent(b::databases);
        v.choice("undeclared_columns", UNDECLARED).ifPresent(b::undeclaredColumns);
        v.textMap("parameters", "{limit: \"100\"}").ifPresent(b::parameters);
        variants(v, b, trace);
        v.list("columns", "[" + COLUMN_EXAMPLE + "]").ifPresent(list -> {
            for (YamlNode item : list.items()) {
                column(item, name, trace).ifPresent(b::column);
            }
        });
        if (name == null) {
            return Optional.empty();
        }
        return Optional.of(new CatalogAssembler.Loaded(b.buildUnchecked(), trace, problems.errorCount() == before));
    }

    private void variants(MapView v, QueryDef.Builder b, QueryTrace trace) {
        if (v.has("sql") && v.has("variants")) {
            v.keyLocation("variants")
                    .ifPresent(
                            at -> problems.error(
                                    at,
                                    queryName(v),
                                    null,
                                    "variants",
                                    "write either sql: (one SQL for every version) or variants: (one SQL per version range), not both"));
            return;
        }
        if (!v.has("sql") && !v.has("variants")) {
            v.require("sql", "add sql: with the query, or variants: with one sql: per version range");
            return;
        }
        if (v.has("sql")) {
            trace.field("sql", v.valueLocation("sql")).field("variants[0]", v.valueLocation("sql"));
            v.text("sql").ifPresent(b::sql);
            return;
        }
        trace.field("variants", v.valueLocation("variants"));
        v.list("variants", "[{max_version: 14, sql: SELECT ...}, {min_version: 14, sql: SELECT ...}]")
                .ifPresent(list -> {
                    for (int i = 0; i < list.items().size(); i++) {
                        variant(list.items().get(i), i, v, b, trace);
                    }
                });
    }

    private void variant(YamlNode node, int index, MapView query, QueryDef.Builder b, QueryTrace trace) {
        String name = queryName(query);
        MapView.of(node, problems, Dialect.STRICT, name, null, "a variant", "{min_version: 14, sql: SELECT ...}")
                .ifPresent(v -> {
                    v.checkKeys(VARIANT_KEYS);
                    trace.field("variants[" + index + "]", Optional.of(v.location()));
                    trace.field("variants[" + index + "].sql", v.valueLocation("sql"));
                    Optional<PgVersion> min = v.version("min_version");
                    Optional<PgVersion> max = v.version("max_version");
                    v.require("sql", "add sql: with the query for this version range");
                    Optional<String> sql = v.text("sql");
                    try {
                        VersionRange range = new VersionRange(min, max);
                        sql.ifPresent(s -> b.variant(range, s));
                    } catch (IllegalArgumentException e) {
                        problems.error(
                                v.valueLocation("max_version").orElse(v.location()),
                                name,
                                null,
                                "max_version",
                                e.getMessage());
                    }
                });
    }

    private Optional<ColumnDef> column(YamlNode node, String queryName, QueryTrace trace) {
        int before = problems.errorCount();
        Optional<MapView> view =
                MapView.of(node, problems, Dialect.STRICT, queryName, null, "a column", COLUMN_EXAMPLE);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        MapView unnamed = view.get();
        unnamed.require("name", "add name: with the result column's name");
        String name = unnamed.text("name").orElse(null);
        MapView v = unnamed.in(queryName, name);
        v.checkKeys(COLUMN_KEYS);
        v.require("usage", "add usage: with one of " + String.join(", ", USAGES.keySet()));
        Optional<Usage> usage = v.choice("usage", USAGES);
        QueryTrace.ColumnTrace ct = trace.column(name == null ? "" : name, v.location());
        for (String field : List.of("name", "usage", "mapping", "scale", "rename", "metric", "unit", "strict")) {
            ct.field(field, v.valueLocation(field));
        }
        ct.field("name_from/help_from", v.valueLocation("name_from"))
                .field("name_from/help_from", v.valueLocation("help_from"));

        Optional<String> rename = v.text("rename");
        Optional<String> metric = v.text("metric");
        String help = v.text("help").orElse("");
        double scale = v.number("scale").orElse(1.0);
        Optional<Double> nullValue = v.number("default");
        Optional<String> unit = v.text("unit");
        Map<String, Double> mapping =
                v.numberMap("mapping", "{ok: 0, failing: 1}").orElse(Map.of());
        Optional<ColumnDef.StrictNaming> strict = v.map("strict", "{metric: pg_example_seconds, usage: GAUGE}")
                .flatMap(m -> MapView.of(m, problems, Dialect.STRICT, queryName, name, "strict", "{usage: GAUGE}"))
                .map(s -> {
                    s.checkKeys(STRICT_KEYS);
                    return new ColumnDef.StrictNaming(s.text("metric"), s.choice("usage", USAGES));
                });
        Optional<String> nameFrom = v.text("name_from");
        Optional<String> helpFrom = v.text("help_from");
        if (problems.errorCount() > before || name == null || usage.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ColumnDef(
                name, usage.get(), rename, metric, help, scale, nullValue, unit, mapping, strict, nameFrom, helpFrom));
    }

    private static String queryName(MapView v) {
        return v.entry("name")
                .map(e -> e.value() instanceof YamlNode.Scalar s && !s.isNull() ? s.text() : null)
                .orElse(null);
    }

    private static Map<String, Usage> usages() {
        Map<String, Usage> m = new LinkedHashMap<>();
        for (Usage u : Usage.values()) {
            m.put(u.name(), u);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static <E> Map<String, E> ordered(Object... pairs) {
        Map<String, E> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            E value = (E) pairs[i + 1];
            m.put((String) pairs[i], value);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
