package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.List;

/**
 * Turns a query's rows into samples, following its column declarations.
 *
 * <p>Unlike postgres_exporter, a NULL value yields no series (unless the column sets a default)
 * rather than NaN, and a declared column missing from the result fails the query with a message
 * instead of borrowing another column's value.
 *
 * <p>What does not change from row to row (where each column is, the metric names, help texts and
 * types, the sorted label names) is worked out once per result shape by {@link RowLayout} and kept
 * for the next collection: per row only the values are read. Lanes may map reads of the same query at
 * once (one per database): what they share is immutable or concurrent.
 */
final class RowMapper {

    private final QueryDef query;
    private final NamingProfile profile;
    /** Written by whichever lane maps a new result shape first; a layout never changes once made. */
    private volatile RowLayout layout;

    RowMapper(QueryDef query, NamingProfile profile) {
        this.query = query;
        this.profile = profile;
    }

    /**
     * Maps every row; the notes for the log (values that are not numbers, rows left unread) go to {@code
     * warnings}. Series that repeat one of the same read are dropped and counted in the result.
     *
     * @param base labels every series gets (constant labels, and datname for database scope)
     * @throws QueryFailure when the result does not fit the declaration (a declared column missing)
     */
    MappedRead map(RowSet rows, Labels base, String database, List<String> warnings) {
        RowLayout l = layout(rows.columns(), base, database != null);
        int metrics = l.metrics.size();
        ReadFamilies out = new ReadFamilies(metrics + l.undeclaredIndex.length);
        String[] labelValues = new String[l.labelNames.size()];
        for (Object[] row : rows.rows()) {
            Labels rowLabels = l.labels(row, database, labelValues);
            for (int i = 0; i < metrics; i++) {
                RowLayout.MetricColumn m = l.metrics.get(i);
                if (m.usage == Usage.HISTOGRAM) {
                    histogram(i, m, row, rowLabels, out, warnings);
                } else {
                    emit(i, m, row, rowLabels, out, warnings);
                }
            }
            for (int i = 0; i < l.undeclaredIndex.length; i++) {
                Double v = Values.number(row[l.undeclaredIndex[i]]);
                if (v != null) {
                    out.add(
                            metrics + i,
                            l.undeclaredNames[i],
                            MetricType.UNTYPED,
                            l.undeclaredHelp,
                            RowLayout.NO_UNIT,
                            Sample.of(rowLabels, v));
                }
            }
        }
        if (rows.truncated()) {
            warnings.add(
                    "more than " + query.maxRows() + " rows; the rest were not read (raise max_rows or filter in SQL)");
        }
        return out.build(rows.rows().size(), rows.truncated());
    }

    /** The layout of the last result when this one has the same shape (it nearly always has), else a new one. */
    private RowLayout layout(List<String> columns, Labels base, boolean addDatname) {
        RowLayout l = layout;
        if (l == null || !l.fits(columns, base, addDatname)) {
            l = new RowLayout(query, profile, columns, base, addDatname);
            layout = l;
        }
        return l;
    }

    private static void emit(
            int slot, RowLayout.MetricColumn m, Object[] row, Labels labels, ReadFamilies out, List<String> warnings) {
        ColumnDef c = m.column;
        Object raw = row[m.index];
        if (raw instanceof Number n && m.plainNumber) { // the common case, without boxing the value
            add(slot, m, row, out, Sample.of(labels, m.scaled(n.doubleValue())));
            return;
        }
        Double value = switch (m.usage) {
            case MAPPEDMETRIC -> raw == null ? null : c.mapping().get(Values.label(raw));
            case DURATION -> m.scaled(Values.durationSeconds(raw));
            default -> m.scaled(Values.number(raw));
        };
        if (value == null && raw != null) {
            warnings.add("column " + c.name() + ": value '" + abbreviate(Values.label(raw)) + "' is not "
                    + (m.usage == Usage.MAPPEDMETRIC
                            ? "in the mapping"
                            : m.usage == Usage.DURATION ? "a duration" : "a number"));
        }
        if (value == null) {
            value = c.nullValue().orElse(null);
        }
        if (value != null) {
            add(slot, m, row, out, Sample.of(labels, value));
        }
    }

    /** Adds a sample of the column's family: through its slot when the name is the same in every row. */
    private static void add(int slot, RowLayout.MetricColumn m, Object[] row, ReadFamilies out, Sample sample) {
        if (m.hasFixedName()) {
            out.add(slot, m.name(row), m.type, m.help(row), m.column.unit(), sample);
        } else {
            out.add(m.name(row), m.type, m.help(row), m.column.unit(), sample);
        }
    }

    private static void histogram(
            int slot, RowLayout.MetricColumn m, Object[] row, Labels labels, ReadFamilies out, List<String> warnings) {
        ColumnDef c = m.column;
        Object boundsRaw = row[m.index];
        Object bucketsRaw = row[m.bucketIndex];
        if (!(boundsRaw instanceof double[] bounds) || !(bucketsRaw instanceof double[] buckets)) {
            if (boundsRaw != null || bucketsRaw != null) {
                warnings.add("HISTOGRAM column " + c.name() + ": bounds and _bucket must be numeric arrays");
            }
            return;
        }
        Double count = Values.number(row[m.countIndex]);
        Double sum = Values.number(row[m.sumIndex]);
        double total = count == null ? 0 : count;
        int n = Math.min(bounds.length, buckets.length);
        for (int i = 0; i < n; i++) {
            add(
                    slot,
                    m,
                    row,
                    out,
                    new Sample("_bucket", labels.with("le", Values.label(bounds[i] * c.scale())), buckets[i]));
        }
        add(slot, m, row, out, new Sample("_bucket", labels.with("le", "+Inf"), total));
        add(slot, m, row, out, new Sample("_sum", labels, sum == null ? 0 : sum * c.scale()));
        add(slot, m, row, out, new Sample("_count", labels, total));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
