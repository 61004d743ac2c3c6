package io.pgmetrics.core.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a query's parts were written, so that a problem the model's validator finds later (which names only
 * the query, column and field) can be shown at its line and column.
 */
final class QueryTrace {

    /** Where one column's parts were written. */
    static final class ColumnTrace {
        final String name;
        final Location location;
        private final Map<String, Location> fields = new HashMap<>();

        ColumnTrace(String name, Location location) {
            this.name = name;
            this.location = location;
        }

        ColumnTrace field(String field, Optional<Location> at) {
            at.ifPresent(l -> fields.putIfAbsent(field, l));
            return this;
        }

        Location locate(String field) {
            return field == null ? location : fields.getOrDefault(field, location);
        }
    }

    final Location location;
    private final Map<String, Location> fields = new HashMap<>();
    private final List<ColumnTrace> columns = new ArrayList<>();

    QueryTrace(Location location) {
        this.location = location;
    }

    /** Records where a field's value is, under the field name the model's validator uses. */
    QueryTrace field(String field, Optional<Location> at) {
        at.ifPresent(l -> fields.putIfAbsent(field, l));
        return this;
    }

    ColumnTrace column(String name, Location at) {
        ColumnTrace c = new ColumnTrace(name, at);
        columns.add(c);
        return c;
    }

    /**
     * The best location for a field such as "variants[1].sql": the field itself, else its parent
     * ("variants[1]", "variants"), else the query.
     */
    Location locate(String field) {
        String f = field;
        while (f != null && !f.isEmpty()) {
            Location l = fields.get(f);
            if (l != null) {
                return l;
            }
            int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            f = cut > 0 ? f.substring(0, cut) : null;
        }
        return location;
    }

    /** The n-th (0-based) declaration of a column, or the last one when there are fewer. */
    Optional<ColumnTrace> column(String name, int occurrence) {
        List<ColumnTrace> named =
                columns.stream().filter(c -> c.name.equals(name)).toList();
        return named.isEmpty() ? Optional.empty() : Optional.of(named.get(Math.min(occurrence, named.size() - 1)));
    }
}
