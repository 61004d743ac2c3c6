package io.pgmetrics.springboot;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.core.yaml.CnpgQueriesYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.queries.BuiltinCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.springframework.core.io.Resource;

/**
 * The catalog the {@code pgmetrics.*} properties ask for: the built-in queries, the custom query files of the
 * three formats (a custom query named like a built-in one replaces it, as in the exporter), then the collectors
 * switched on and off.
 */
final class StarterCatalog {

    private StarterCatalog() {}

    /** @throws IllegalStateException naming the property and file when a query file is missing or wrong */
    static Catalog assemble(PgMetricsProperties properties) {
        PgMetricsProperties.QueryFiles files = properties.getQueryFiles();
        List<QueryDef> custom = new ArrayList<>();
        load(
                custom,
                "pgmetrics.query-files.pgmetrics",
                files.getPgmetrics(),
                (text, source) -> CatalogYaml.read(text, source));
        load(
                custom,
                "pgmetrics.query-files.postgres-exporter",
                files.getPostgresExporter(),
                (text, source) -> LegacyQueriesYaml.read(text, source).catalog());
        load(
                custom,
                "pgmetrics.query-files.cnpg",
                files.getCnpg(),
                (text, source) -> CnpgQueriesYaml.read(text, source, files.getCnpgPrefix())
                        .catalog());

        Set<String> customNames = new HashSet<>();
        custom.forEach(q -> customNames.add(q.name()));
        Catalog all;
        try {
            all = BuiltinCatalog.load()
                    .filter(q -> !customNames.contains(q.name()))
                    .merge(new Catalog(custom));
        } catch (CatalogException e) {
            throw new IllegalStateException(
                    "pgmetrics.query-files: the custom queries clash with the built-in"
                            + " catalog or with each other:\n" + e.getMessage(),
                    e);
        }
        Set<String> enable = new HashSet<>();
        Set<String> disable = new HashSet<>();
        for (Map.Entry<String, Boolean> c : properties.getCollectors().entrySet()) {
            (Boolean.TRUE.equals(c.getValue()) ? enable : disable).add(c.getKey());
        }
        Set<String> unknown = new HashSet<>(enable);
        unknown.addAll(disable);
        unknown.removeAll(all.collectors());
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(
                    "pgmetrics.collectors: no collector named " + unknown + "; the catalog has " + all.collectors());
        }
        return all.select(enable, disable);
    }

    private static void load(
            List<QueryDef> into,
            String property,
            List<Resource> resources,
            BiFunction<String, String, Catalog> reader) {
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            String where = property + "[" + i + "] (" + resource.getDescription() + ")";
            String text;
            try (InputStream in = resource.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(where + ": cannot read the query file: " + e.getMessage(), e);
            }
            try {
                into.addAll(reader.apply(text, resource.getDescription()).queries());
            } catch (CatalogException e) {
                throw new IllegalStateException(where + " has errors:\n" + e.getMessage(), e);
            }
        }
    }
}
