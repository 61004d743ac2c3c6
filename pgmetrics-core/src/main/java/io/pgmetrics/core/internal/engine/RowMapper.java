package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a query's rows into samples, following its column declarations.
 *
 * <p>Unlike postgres_exporter, a NULL value yields no series (unless the column sets a default)
 * rather than NaN, and a declared column missing from the result fails the query with a message
 * instead of borrowing another column's value.
 */
final class RowMapper {

    private final QueryDef query;
    private final NamingProfile profile;

    RowMapper(QueryDef query, NamingProfile profile) {
        this.query = query;
        this.profile = profile;
    }

    /** What mapping one result produced: samples went into the set; these are the notes for the log. */
    record Result(int series, int dropped, List<String> warnings) {}

    /**
     * Maps every row into {@code out}.
     *
     * @param base labels every series gets (constant labels, and datname for database scope)
     * @throws QueryFailure when the result does not fit the declaration (a declared column missing)
     */
    Result map(RowSet rows, Labels base, String database, FamilySet out) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < rows.columns().size(); i++) {
            index.putIfAbsent(rows.columns().get(i), i);
        }
        requireDeclaredColumns(index);
        List<ColumnDef> labels =
                query.columns().stream().filter(c -> c.usage() == Usage.LABEL).toList();
        List<ColumnDef> metrics = query.columns().stream()
                .filter(c -> c.usage(profile).isMetric())
                .toList();
        List<String> undeclared = undeclaredColumns(rows, index);
        boolean addDatname = database != null && !index.containsKey("datname");

        int series = 0;
        int dropped = 0;
        List<String> warnings = new ArrayList<>();
        for (Object[] row : rows.rows()) {
            Map<String, String> labelMap = new LinkedHashMap<>(base.asMap());
            if (addDatname) {
                labelMap.put("datname", database);
            }
            for (ColumnDef l : labels) {
                labelMap.put(l.name(), Values.label(row[index.get(l.name())]));
            }
            Labels rowLabels = Labels.of(labelMap);
            for (ColumnDef c : metrics) {
                int before = out.duplicates();
                int added = emit(c, row, index, rowLabels, out, warnings);
                series += added;
                dropped += out.duplicates() - before;
            }
            for (String column : undeclared) {
                Double v = Values.number(row[index.get(column)]);
                if (v != null) {
                    boolean ok = out.add(
                            query.name() + "_" + column,
                            MetricType.UNTYPED,
                            "Unknown metric from " + query.name(),
                            Optional.empty(),
                            Sample.of(rowLabels, v));
                    series += ok ? 1 : 0;
                    dropped += ok ? 0 : 1;
                }
            }
        }
        if (rows.truncated()) {
            warnings.add(
                    "more than " + query.maxRows() + " rows; the rest were not read (raise max_rows or filter in SQL)");
        }
        return new Result(series, dropped, warnings);
    }

    private void requireDeclaredColumns(Map<String, Integer> index) {
        List<String> missing = new ArrayList<>();
        for (ColumnDef c : query.columns()) {
            if (!index.containsKey(c.name())) {
                missing.add(c.name());
            }
            if (c.usage(profile) == Usage.HISTOGRAM) {
                for (String suffix : List.of("_bucket", "_sum", "_count")) {
                    if (!index.containsKey(c.name() + suffix)) {
                        missing.add(c.name() + suffix + " (companion of HISTOGRAM column " + c.name() + ")");
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new QueryFailure("declared column(s) " + String.join(", ", missing) + " not in the result (it has "
                    + String.join(", ", index.keySet()) + "); alias the SQL columns or fix the declaration");
        }
    }

    private List<String> undeclaredColumns(RowSet rows, Map<String, Integer> index) {
        if (query.undeclaredColumns() != UndeclaredColumns.UNTYPED) {
            return List.of();
        }
        Set<String> known = new HashSet<>();
        for (ColumnDef c : query.columns()) {
            known.add(c.name());
            if (c.usage() == Usage.HISTOGRAM) {
                known.add(c.name() + "_bucket");
                known.add(c.name() + "_sum");
                known.add(c.name() + "_count");
            }
        }
        return index.keySet().stream().filter(c -> !known.contains(c)).toList();
    }

    private int emit(
            ColumnDef c,
            Object[] row,
            Map<String, Integer> index,
            Labels labels,
            FamilySet out,
            List<String> warnings) {
        Object raw = row[index.get(c.name())];
        String name = metricName(c, row, index);
        String help = c.helpFrom().map(h -> Values.label(row[index.get(h)])).orElseGet(() -> query.helpFor(c));
        Usage usage = c.usage(profile);
        if (usage == Usage.HISTOGRAM) {
            return histogram(c, row, index, name, help, labels, out, warnings);
        }
        Double value = switch (usage) {
            case MAPPEDMETRIC -> raw == null ? null : c.mapping().get(Values.label(raw));
            case DURATION -> scaled(Values.durationSeconds(raw), c);
            default -> scaled(Values.number(raw), c);
        };
        if (value == null && raw != null) {
            warnings.add("column " + c.name() + ": value '" + abbreviate(Values.label(raw)) + "' is not "
                    + (usage == Usage.MAPPEDMETRIC
                            ? "in the mapping"
                            : usage == Usage.DURATION ? "a duration" : "a number"));
        }
        if (value == null) {
            value = c.nullValue().orElse(null);
        }
        if (value == null) {
            return 0;
        }
        MetricType type = usage == Usage.COUNTER ? MetricType.COUNTER : MetricType.GAUGE;
        return out.add(name, type, help, c.unit(), Sample.of(labels, value)) ? 1 : 0;
    }

    private static Double scaled(Double v, ColumnDef c) {
        return v == null ? null : v * c.scale();
    }

    private String metricName(ColumnDef c, Object[] row, Map<String, Integer> index) {
        if (c.nameFrom().isEmpty()) {
            return query.metricName(c, profile);
        }
        String part = Values.sanitize(Values.label(row[index.get(c.nameFrom().get())]));
        return query.metricName(c.toBuilder().metric(query.name() + "_" + part).build(), profile);
    }

    private int histogram(
            ColumnDef c,
            Object[] row,
            Map<String, Integer> index,
            String name,
            String help,
            Labels labels,
            FamilySet out,
            List<String> warnings) {
        Object boundsRaw = row[index.get(c.name())];
        Object bucketsRaw = row[index.get(c.name() + "_bucket")];
        if (!(boundsRaw instanceof double[] bounds) || !(bucketsRaw instanceof double[] buckets)) {
            if (boundsRaw != null || bucketsRaw != null) {
                warnings.add("HISTOGRAM column " + c.name() + ": bounds and _bucket must be numeric arrays");
            }
            return 0;
        }
        Double count = Values.number(row[index.get(c.name() + "_count")]);
        Double sum = Values.number(row[index.get(c.name() + "_sum")]);
        double total = count == null ? 0 : count;
        int n = Math.min(bounds.length, buckets.length);
        int added = 0;
        for (int i = 0; i < n; i++) {
            added += out.add(
                            name,
                            MetricType.HISTOGRAM,
                            help,
                            c.unit(),
                            new Sample("_bucket", labels.with("le", Values.label(bounds[i] * c.scale())), buckets[i]))
                    ? 1
                    : 0;
        }
        added += out.add(
                        name,
                        MetricType.HISTOGRAM,
                        help,
                        c.unit(),
                        new Sample("_bucket", labels.with("le", "+Inf"), total))
                ? 1
                : 0;
        added += out.add(
                        name,
                        MetricType.HISTOGRAM,
                        help,
                        c.unit(),
                        new Sample("_sum", labels, sum == null ? 0 : sum * c.scale()))
                ? 1
                : 0;
        added += out.add(name, MetricType.HISTOGRAM, help, c.unit(), new Sample("_count", labels, total)) ? 1 : 0;
        return added;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
