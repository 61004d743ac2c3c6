package io.pgmetrics.test;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.yaml.LoadedQueries;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a query author's checks start:
 *
 * <pre>{@code
 * assertThatCatalog(Path.of("src/main/resources/queries.yaml"))
 *         .hasOneVariantPerMajor(servers)
 *         .runsOn(servers)
 *         .yieldsDeclaredFamilies();
 * }</pre>
 */
public final class PgMetricsAssertions {

    private PgMetricsAssertions() {}

    /**
     * A query file in pgmetrics' or postgres_exporter's format, told apart by its content.
     *
     * @throws AssertionError listing every problem (file:line:column) when it does not load
     */
    public static CatalogAssert assertThatCatalog(Path file) {
        Objects.requireNonNull(file, "file");
        return assertThatCatalog(file, QueryFormat.detect(file));
    }

    /** A query file in the given format; @throws AssertionError listing every problem when it does not load */
    public static CatalogAssert assertThatCatalog(Path file, QueryFormat format) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        LoadedQueries loaded;
        try {
            loaded = format.load(file);
        } catch (CatalogException e) {
            throw new AssertionError(
                    file + " does not load as a " + format + " query file:\n" + Failures.lines(e.problems()), e);
        }
        return new CatalogAssert(file.getFileName().toString(), loaded.catalog(), loaded.warnings());
    }

    /** A catalog built in code ({@code QueryDef.builder(..)}) or loaded otherwise. */
    public static CatalogAssert assertThatCatalog(Catalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        return new CatalogAssert("the catalog", catalog, List.of());
    }
}
