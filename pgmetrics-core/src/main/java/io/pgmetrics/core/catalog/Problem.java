package io.pgmetrics.core.catalog;

import java.util.Optional;

/**
 * One thing wrong with a catalog, precise enough to fix without guessing.
 *
 * @param location "file:line:column" when the catalog came from a file
 * @param query the query's name, or empty for a file-level problem
 * @param column the column's name, when the problem is a column's
 * @param field the key at fault ("usage", "variants", "max_version", …), or empty
 * @param message what is wrong and how to fix it
 */
public record Problem(
        Optional<String> location,
        Optional<String> query,
        Optional<String> column,
        Optional<String> field,
        String message) {

    public static Problem of(String query, String column, String field, String message) {
        return new Problem(
                Optional.empty(),
                Optional.ofNullable(query),
                Optional.ofNullable(column),
                Optional.ofNullable(field),
                message);
    }

    public Problem at(String location) {
        return new Problem(Optional.ofNullable(location), query, column, field, message);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        location.ifPresent(l -> sb.append(l).append(": "));
        query.ifPresent(q -> sb.append("query '").append(q).append("'"));
        column.ifPresent(c -> sb.append(query.isPresent() ? ", " : "")
                .append("column '")
                .append(c)
                .append("'"));
        field.ifPresent(f ->
                sb.append(query.isPresent() || column.isPresent() ? ", " : "").append(f));
        if (query.isPresent() || column.isPresent() || field.isPresent()) {
            sb.append(": ");
        }
        return sb.append(message).toString();
    }
}
