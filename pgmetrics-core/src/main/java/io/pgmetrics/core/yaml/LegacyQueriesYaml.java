package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.internal.yaml.SourceText;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * postgres_exporter's custom-queries file ({@code --extend.query-path}), accepted unchanged:
 *
 * <pre>
 * namespace:                  # the metric prefix; also the query's collector name
 *   query: SELECT ...         # required; an empty query is an error (postgres_exporter skips it silently)
 *   master: true              # run on primaries only
 *   cache_seconds: 30         # reuse a successful result this long (ttl)
 *   runonserver: "&gt;=12.0.0 &lt;15.0.0"  # honoured: the query runs only on these versions (postgres_exporter ignores it)
 *   metrics:
 *     - column:
 *         usage: GAUGE        # required, case-sensitive; unknown or missing is an error (postgres_exporter discards the column)
 *         description: ...    # HELP
 *         metric_mapping: {}  # honoured for MAPPEDMETRIC (postgres_exporter drops it)
 *         pg_version: ...     # no effect (as in postgres_exporter); a warning says so
 * </pre>
 *
 * <p>Metric names are postgres_exporter's: {@code <namespace>_<column>}, DURATION columns
 * {@code <namespace>_<column>_milliseconds} (in milliseconds), undeclared numeric columns exported untyped.
 * Unknown keys are only warnings (logged, and listed in {@link LoadedQueries#warnings()}), so files that
 * postgres_exporter loads keep loading; but CloudNativePG's keys ({@code predicate_query}, {@code target_databases},
 * ...) and our format's gates are errors that name the format honouring them, because postgres_exporter would
 * ignore a gate and run the query. Every problem is a {@link CatalogException} with {@code file:line:column}.
 * Nothing but {@link CatalogException} leaves these methods.
 */
public final class LegacyQueriesYaml {

    private static final System.Logger LOG = System.getLogger(LegacyQueriesYaml.class.getName());

    private LegacyQueriesYaml() {}

    /** @throws CatalogException when the file cannot be read or has an error */
    public static LoadedQueries read(Path file) {
        Objects.requireNonNull(file, "file");
        return logged(CatalogYaml.guarded(
                file.toString(),
                () -> ForeignReader.read(SourceText.read(file), ForeignReader.Flavor.POSTGRES_EXPORTER, "")));
    }

    /** @param sourceName how problems name the text's origin. @throws CatalogException when the text has an error */
    public static LoadedQueries read(String yaml, String sourceName) {
        Objects.requireNonNull(yaml, "yaml");
        String name = CatalogYaml.sourceName(sourceName);
        return logged(CatalogYaml.guarded(
                name, () -> ForeignReader.read(SourceText.of(yaml, name), ForeignReader.Flavor.POSTGRES_EXPORTER, "")));
    }

    /**
     * The lower-case hex SHA-256 of a file's bytes, for {@code pg_exporter_user_queries_load_error{hashsum}};
     * empty when the file cannot be read (as postgres_exporter reports it).
     */
    public static String sha256(Path file) {
        try {
            return SourceText.sha256(Files.readAllBytes(file));
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return "";
        }
    }

    static LoadedQueries logged(LoadedQueries loaded) {
        for (Problem warning : loaded.warnings()) {
            LOG.log(Level.WARNING, warning.toString());
        }
        return loaded;
    }
}
