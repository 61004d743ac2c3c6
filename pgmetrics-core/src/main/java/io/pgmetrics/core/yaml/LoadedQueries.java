package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.Problem;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A foreign query file as loaded.
 *
 * @param catalog the queries, validated
 * @param hashsum the lower-case hex SHA-256 of the file's bytes (of the UTF-8 text when read from a string),
 *     as postgres_exporter puts it in {@code pg_exporter_user_queries_load_error{filename,hashsum}}
 * @param warnings what the file says that has no effect here (unknown keys, {@code pg_version}, a mapping
 *     on a column that is not MAPPEDMETRIC), each with its location; already logged
 * @param locations where each query's definition starts, {@code file:line:column}, by query name (the first
 *     definition of a name several version ranges share); for messages about queries of several files
 */
public record LoadedQueries(Catalog catalog, String hashsum, List<Problem> warnings, Map<String, String> locations) {
    public LoadedQueries {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(hashsum, "hashsum");
        warnings = List.copyOf(warnings);
        locations = Collections.unmodifiableMap(new LinkedHashMap<>(locations));
    }

    /** Without locations. */
    public LoadedQueries(Catalog catalog, String hashsum, List<Problem> warnings) {
        this(catalog, hashsum, warnings, Map.of());
    }

    /** Where the query of that name was defined, or the query's name alone when not known. */
    public String location(String query) {
        return locations.getOrDefault(query, query);
    }
}
