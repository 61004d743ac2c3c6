package io.pgmetrics.core.internal.engine;

import java.util.List;
import java.util.Optional;

/**
 * The rows a query returned, read into plain Java values (so a cached result holds no JDBC object).
 *
 * @param columns result column names, in order
 * @param rows each row's values, in column order; values are Number, Boolean, String, java.time
 *     values, double[] (numeric arrays) or null
 * @param truncated whether rows beyond the query's max_rows were left unread
 */
public record RowSet(List<String> columns, List<Object[]> rows, boolean truncated) {

    public RowSet {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public Optional<Integer> indexOf(String column) {
        int i = columns.indexOf(column);
        return i >= 0 ? Optional.of(i) : Optional.empty();
    }
}
