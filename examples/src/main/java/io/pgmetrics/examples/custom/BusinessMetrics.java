package io.pgmetrics.examples.custom;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.publish.TextFormat;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.examples.shop.ShopApp;
import io.pgmetrics.queries.BuiltinCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Business metrics from SQL: orders by status, job queue depth and lag, read from the shop's own
 * tables. The same queries are written twice, in pgmetrics' format ({@code business-metrics.yaml})
 * and in postgres_exporter's ({@code business-metrics-legacy.yaml}); both give the same metrics.
 *
 * <pre>java ... io.pgmetrics.examples.custom.BusinessMetrics 'jdbc:postgresql://localhost:5432/shop?user=..&amp;password=..'</pre>
 * prints them once, collected together with the built-in catalog.
 */
public final class BusinessMetrics {

    public static final String CATALOG_RESOURCE = "/io/pgmetrics/examples/custom/business-metrics.yaml";
    public static final String LEGACY_RESOURCE = "/io/pgmetrics/examples/custom/business-metrics-legacy.yaml";

    private BusinessMetrics() {}

    /** The queries in pgmetrics' format. */
    public static Catalog catalog() {
        return CatalogYaml.read(resource(CATALOG_RESOURCE), "classpath:" + CATALOG_RESOURCE);
    }

    /** The same queries in postgres_exporter's format. */
    public static Catalog legacyCatalog() {
        return LegacyQueriesYaml.read(resource(LEGACY_RESOURCE), "classpath:" + LEGACY_RESOURCE)
                .catalog();
    }

    private static String resource(String name) {
        try (InputStream in = BusinessMetrics.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        ShopApp.Arguments a = ShopApp.Arguments.parse(args, BusinessMetrics.class, 0);
        try (PgMetrics pgMetrics = PgMetrics.builder()
                .dataSource(a.dataSource())
                .catalog(BuiltinCatalog.load().merge(catalog()))
                .build()) {
            List<MetricFamily> business = pgMetrics.collect().families().stream()
                    .filter(f -> f.name().startsWith("shop_"))
                    .toList();
            System.out.print(TextFormat.toString(business));
        }
    }
}
