package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.internal.yaml.SourceText;
import java.nio.file.Path;
import java.util.Objects;

/**
 * CloudNativePG's custom-queries dialect, accepted unchanged: postgres_exporter's keys plus, per query,
 * {@code name} (publish under another namespace than the map key), {@code primary} (alias {@code master}),
 * {@code target_databases} (names or glob patterns: the query runs once in each, scope DATABASE),
 * {@code predicate_query} (a boolean gate), and per column {@code name} (replaces the column in the metric name).
 *
 * <p>Metric names are CloudNativePG's: {@code <prefix><namespace>_<column>} with the prefix {@code cnpg_} by
 * default, so a migrated cluster keeps its dashboards; pass "" to drop it. Several map keys may share one
 * {@code name} when their {@code runonserver} ranges are disjoint: each key becomes its own query (with its own
 * columns), and the catalog's validation accepts them because no server runs two of them.
 * {@code cache_seconds} is honoured as the query's ttl (CloudNativePG parses it without effect). Undeclared
 * columns are not exported, as in CloudNativePG, but a column-count mismatch does not skip the query.
 * {@code predicate_query} must return exactly one row of one boolean column, else the query fails.
 * Unknown keys are warnings, our format's gates ({@code predicate}, {@code role}, ...) errors; every other problem
 * is a {@link CatalogException} with {@code file:line:column}. Each call reads one file: the exporter lets a later
 * file's query replace an earlier file's query of the same name, as CloudNativePG does.
 */
public final class CnpgQueriesYaml {

    /** The prefix CloudNativePG puts before every custom metric. */
    public static final String DEFAULT_PREFIX = "cnpg_";

    private CnpgQueriesYaml() {}

    /** With CloudNativePG's {@code cnpg_} prefix. @throws CatalogException when the file cannot be read or has an error */
    public static LoadedQueries read(Path file) {
        return read(file, DEFAULT_PREFIX);
    }

    /** @param prefix put before every metric name ("" for none). @throws CatalogException as {@link #read(Path)} */
    public static LoadedQueries read(Path file, String prefix) {
        Objects.requireNonNull(file, "file");
        return LegacyQueriesYaml.logged(CatalogYaml.guarded(
                file.toString(),
                () -> ForeignReader.read(SourceText.read(file), ForeignReader.Flavor.CLOUDNATIVEPG, prefix)));
    }

    /** @param sourceName how problems name the text's origin. @throws CatalogException when the text has an error */
    public static LoadedQueries read(String yaml, String sourceName, String prefix) {
        Objects.requireNonNull(yaml, "yaml");
        String name = CatalogYaml.sourceName(sourceName);
        return LegacyQueriesYaml.logged(CatalogYaml.guarded(
                name, () -> ForeignReader.read(SourceText.of(yaml, name), ForeignReader.Flavor.CLOUDNATIVEPG, prefix)));
    }
}
