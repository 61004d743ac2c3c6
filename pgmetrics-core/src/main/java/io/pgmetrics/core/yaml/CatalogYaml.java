package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Variant;
import io.pgmetrics.core.catalog.VersionRange;
import io.pgmetrics.core.internal.yaml.Durations;
import io.pgmetrics.core.internal.yaml.Messages;
import io.pgmetrics.core.internal.yaml.SourceText;
import io.pgmetrics.core.yaml.YamlWriter.Raw;
import java.io.Reader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * pgmetrics' own catalog format (docs/query-authors.md), read strictly and written back exactly.
 *
 * <p>Reading reports every problem of a file at once, each with {@code file:line:column}, the query and
 * column, and how to fix it: YAML syntax, unknown keys, wrong types, unknown usages, bad versions and
 * durations, missing keys, and every rule of {@link io.pgmetrics.core.catalog.CatalogValidator}. Nothing but
 * {@link CatalogException} leaves these methods.
 *
 * <p>Writing emits the same format: {@code read(write(c), name).equals(c)} for every catalog.
 */
public final class CatalogYaml {

    private CatalogYaml() {}

    /** @throws CatalogException when the file cannot be read or is not a valid catalog */
    public static Catalog read(Path file) {
        Objects.requireNonNull(file, "file");
        return guarded(file.toString(), () -> NativeReader.read(SourceText.read(file)));
    }

    /**
     * As {@link #read(Path)}, with the file's hash and where each query was written.
     *
     * @throws CatalogException when the file cannot be read or is not a valid catalog
     */
    public static LoadedQueries load(Path file) {
        Objects.requireNonNull(file, "file");
        return guarded(file.toString(), () -> NativeReader.load(SourceText.read(file)));
    }

    /**
     * @param sourceName how problems name the text's origin, e.g. a file or resource name
     * @throws CatalogException when the text is not a valid catalog
     */
    public static Catalog read(String yaml, String sourceName) {
        Objects.requireNonNull(yaml, "yaml");
        String name = sourceName(sourceName);
        return guarded(name, () -> NativeReader.read(SourceText.of(yaml, name)));
    }

    /** Reads the whole reader (and closes it). @throws CatalogException when the text is not a valid catalog */
    public static Catalog read(Reader reader, String sourceName) {
        Objects.requireNonNull(reader, "reader");
        String name = sourceName(sourceName);
        return guarded(name, () -> NativeReader.read(SourceText.read(reader, name)));
    }

    /** The catalog in our YAML format; defaults are left out, so the text shows only what was chosen. */
    public static String write(Catalog catalog) {
        Map<String, Object> document = new LinkedHashMap<>();
        List<Object> queries = new ArrayList<>();
        for (QueryDef q : catalog.queries()) {
            queries.add(query(q));
        }
        document.put("queries", queries);
        return YamlWriter.write(document);
    }

    /** How problems name a text without a name. */
    static String sourceName(String name) {
        return name == null || name.isBlank() ? "<yaml>" : name;
    }

    /**
     * Runs a loader so that nothing but a {@link CatalogException} escapes: a {@link YamlException} (a file
     * that cannot be read or parsed) becomes a problem at its location; any other failure is a bug in the
     * loader, reported as a problem of the file rather than a stack trace.
     */
    static <T> T guarded(String sourceName, Supplier<T> load) {
        try {
            return load.get();
        } catch (CatalogException e) {
            throw e;
        } catch (YamlException e) {
            throw new CatalogException(
                    Problem.of(null, null, null, e.problem()).at(e.location().toString()));
        } catch (RuntimeException | StackOverflowError e) {
            throw new CatalogException(Problem.of(
                            null,
                            null,
                            null,
                            "internal error while reading the file ("
                                    + e.getClass().getSimpleName() + ": "
                                    + Messages.abbreviate(String.valueOf(e.getMessage()))
                                    + "); please report it with the file")
                    .at(String.valueOf(sourceName)));
        }
    }

    private static Map<String, Object> query(QueryDef q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", q.name());
        if (!q.collector().equals(q.name())) {
            m.put("collector", q.collector());
        }
        putIfNotEmpty(m, "help", q.help());
        if (q.scope() != Scope.CLUSTER) {
            m.put("scope", new Raw(q.scope().name().toLowerCase(Locale.ROOT)));
        }
        if (q.role() != ServerRole.ANY) {
            m.put("role", new Raw(q.role().name().toLowerCase(Locale.ROOT)));
        }
        if (!q.extensions().isEmpty()) {
            m.put("extensions", q.extensions());
        }
        q.predicate().ifPresent(p -> m.put("predicate", p));
        if (!q.ttl().isZero()) {
            m.put("ttl", duration(q.ttl()));
        }
        if (q.refreshInBackground()) {
            m.put("refresh_in_background", new Raw("true"));
        }
        q.timeout().ifPresent(t -> m.put("timeout", duration(t)));
        if (q.maxRows() != QueryDef.DEFAULT_MAX_ROWS) {
            m.put("max_rows", new Raw(Integer.toString(q.maxRows())));
        }
        if (!q.enabledByDefault()) {
            m.put("enabled", new Raw("false"));
        }
        if (!q.databases().isEmpty()) {
            m.put("databases", q.databases());
        }
        if (q.undeclaredColumns() != UndeclaredColumns.IGNORE) {
            m.put("undeclared_columns", new Raw(q.undeclaredColumns().name().toLowerCase(Locale.ROOT)));
        }
        if (!q.parameters().isEmpty()) {
            m.put("parameters", new LinkedHashMap<>(q.parameters()));
        }
        if (q.variants().size() == 1 && q.variants().get(0).versions().equals(VersionRange.ALL)) {
            m.put("sql", q.variants().get(0).sql());
        } else {
            List<Object> variants = new ArrayList<>();
            for (Variant v : q.variants()) {
                Map<String, Object> vm = new LinkedHashMap<>();
                v.versions().min().ifPresent(min -> vm.put("min_version", version(min)));
                v.versions().max().ifPresent(max -> vm.put("max_version", version(max)));
                vm.put("sql", v.sql());
                variants.add(vm);
            }
            m.put("variants", variants);
        }
        if (!q.columns().isEmpty()) {
            m.put("columns", q.columns().stream().map(CatalogYaml::column).toList());
        }
        return m;
    }

    private static Map<String, Object> column(ColumnDef c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("usage", new Raw(c.usage().name()));
        c.rename().ifPresent(r -> m.put("rename", r));
        c.metric().ifPresent(r -> m.put("metric", r));
        putIfNotEmpty(m, "help", c.help());
        if (Double.compare(c.scale(), 1.0) != 0) {
            m.put("scale", number(c.scale()));
        }
        c.nullValue().ifPresent(d -> m.put("default", number(d)));
        c.unit().ifPresent(u -> m.put("unit", u));
        if (!c.mapping().isEmpty()) {
            Map<String, Object> mapping = new LinkedHashMap<>();
            c.mapping().entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue()
                            .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                    .forEach(e -> mapping.put(e.getKey(), number(e.getValue())));
            m.put("mapping", mapping);
        }
        c.strict().ifPresent(s -> {
            Map<String, Object> sm = new LinkedHashMap<>();
            s.metric().ifPresent(x -> sm.put("metric", x));
            s.usage().ifPresent(u -> sm.put("usage", new Raw(u.name())));
            m.put("strict", sm);
        });
        c.nameFrom().ifPresent(x -> m.put("name_from", x));
        c.helpFrom().ifPresent(x -> m.put("help_from", x));
        return m;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static Raw duration(Duration d) {
        return new Raw(Durations.format(d));
    }

    private static Raw version(PgVersion v) {
        return new Raw(v.toString());
    }

    /** Exact: Double.toString round-trips, and YAML's spellings stand for NaN and the infinities. */
    static Raw number(double d) {
        if (Double.isNaN(d)) {
            return new Raw(".nan");
        }
        if (Double.isInfinite(d)) {
            return new Raw(d > 0 ? ".inf" : "-.inf");
        }
        return new Raw(Double.toString(d));
    }
}
