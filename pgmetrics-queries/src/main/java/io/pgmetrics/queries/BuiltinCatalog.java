package io.pgmetrics.queries;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.yaml.CatalogYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog that ships with pgmetrics: every collector of postgres_exporter under its names,
 * types and labels (compat profile), plus the newer statistics views, each query with SQL per
 * PostgreSQL version range. The reference of every metric is docs/metrics.md.
 *
 * <p>The queries live in YAML resources next to this class, read in the order {@code index.txt}
 * lists them.
 */
public final class BuiltinCatalog {

    private static final String FOLDER = "/io/pgmetrics/queries/";

    private BuiltinCatalog() {}

    /** The built-in catalog, freshly read (it is immutable; keep the instance you get). */
    public static Catalog load() {
        List<QueryDef> queries = new ArrayList<>();
        for (String name : resourceNames()) {
            queries.addAll(
                    CatalogYaml.read(text(name), "classpath:" + FOLDER + name).queries());
        }
        return new Catalog(queries);
    }

    /** The YAML resources of the catalog, in catalog order. */
    public static List<String> resourceNames() {
        List<String> names = new ArrayList<>();
        for (String line : text("index.txt").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private static String text(String name) {
        try (InputStream in = BuiltinCatalog.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "resource " + FOLDER + name + " is missing from the pgmetrics-queries jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + FOLDER + name, e);
        }
    }
}
