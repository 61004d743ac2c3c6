package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.Problem;
import java.util.List;
import java.util.Objects;

/**
 * A foreign query file as loaded.
 *
 * @param catalog the queries, validated
 * @param hashsum the lower-case hex SHA-256 of the file's bytes (of the UTF-8 text when read from a string),
 *     as postgres_exporter puts it in {@code pg_exporter_user_queries_load_error{filename,hashsum}}
 * @param warnings what the file says that has no effect here (unknown keys, {@code pg_version}, a mapping
 *     on a column that is not MAPPEDMETRIC), each with its location; already logged
 */
public record LoadedQueries(Catalog catalog, String hashsum, List<Problem> warnings) {
    public LoadedQueries {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(hashsum, "hashsum");
        warnings = List.copyOf(warnings);
    }
}
