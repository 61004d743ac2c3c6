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
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The catalog that ships with pgmetrics: every collector of postgres_exporter under its names,
 * types and labels (compat profile), plus the newer statistics views, each query with SQL per
 * PostgreSQL version range. The reference of every metric is docs/metrics.md.
 *
 * <p>The queries live in YAML resources next to this class, read in the order {@code index.txt}
 * lists them. The build also writes them as {@value #COMPACT}, which is what {@link #load()} reads, so
 * that no YAML parser is loaded for the built-in catalog (see {@link CompactCatalog}); when that
 * resource is missing or was made from other YAML, the YAML is read.
 */
public final class BuiltinCatalog {

    private static final String FOLDER = "/io/pgmetrics/queries/";

    /** The compact form of the catalog, next to the YAML (written by {@link CompactCatalogBuild}). */
    static final String COMPACT = "builtin-catalog.bin";

    private BuiltinCatalog() {}

    /** The built-in catalog, freshly read (it is immutable; keep the instance you get). */
    public static Catalog load() {
        return compact().orElseGet(BuiltinCatalog::fromYaml);
    }

    /** The catalog from its compact resource, when it is there and was made from the YAML beside it. */
    static Optional<Catalog> compact() {
        try (InputStream in = BuiltinCatalog.class.getResourceAsStream(FOLDER + COMPACT)) {
            return in == null ? Optional.empty() : CompactCatalog.read(in, sourceChecksum());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + FOLDER + COMPACT, e);
        }
    }

    /** The catalog parsed from its YAML resources. */
    static Catalog fromYaml() {
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

    /** A checksum of the index and every YAML resource, in catalog order: what the compact form was made from. */
    static long sourceChecksum() {
        CRC32 crc = new CRC32();
        crc.update(text("index.txt").getBytes(StandardCharsets.UTF_8));
        for (String name : resourceNames()) {
            crc.update(text(name).getBytes(StandardCharsets.UTF_8));
        }
        return crc.getValue();
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
