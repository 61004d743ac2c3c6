package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a query's declared columns are in one result shape, and everything about them that does not
 * change from row to row: metric names, help texts, types, the sorted label names and where each
 * label's value comes from. Built once per query and result shape instead of once per sample (the
 * name, the help and a map of the labels per sample were most of a scrape's mapping work).
 */
final class RowLayout {

    static final Optional<String> NO_UNIT = Optional.empty();

    /** Where a label's value comes from, when not from a result column (a column's index is ≥ 0). */
    private static final int FROM_BASE = -1;

    private static final int FROM_DATABASE = -2;

    /** Names made from row values (name_from) are remembered up to this many per column, then made anew. */
    private static final int MAX_NAMES_PER_COLUMN = 1024;

    private final List<String> columns;
    private final Labels base;
    private final boolean addDatname;

    final Labels.Names labelNames;
    private final int[] labelSources;
    private final String[] baseValues;
    /** The labels of every row when no label varies (no label columns, no datname): the base itself. */
    private final Labels constantLabels;

    final List<MetricColumn> metrics;
    final int[] undeclaredIndex;
    final String[] undeclaredNames;
    final String undeclaredHelp;

    /**
     * @throws QueryFailure when a declared column (or a histogram's companion) is not in the result; the
     *     catalog makes sure that name_from and help_from name declared columns
     */
    RowLayout(QueryDef query, NamingProfile profile, List<String> columns, Labels base, boolean datnameWanted) {
        this.columns = columns;
        this.base = base;
        this.addDatname = datnameWanted;
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.putIfAbsent(columns.get(i), i);
        }
        requireDeclaredColumns(query, profile, index);

        // the same precedence as putting them into one map in this order: base, datname, label columns
        Map<String, Integer> sources = new LinkedHashMap<>();
        for (int i = 0; i < base.size(); i++) {
            sources.put(base.name(i), FROM_BASE);
        }
        if (datnameWanted && !index.containsKey("datname")) {
            sources.put("datname", FROM_DATABASE);
        }
        for (ColumnDef c : query.columns()) {
            if (c.usage() == Usage.LABEL) {
                sources.put(c.name(), index.get(c.name()));
            }
        }
        labelNames = Labels.Names.of(sources.keySet());
        labelSources = new int[labelNames.size()];
        baseValues = new String[labelNames.size()];
        boolean varies = false;
        for (Map.Entry<String, Integer> e : sources.entrySet()) {
            int at = labelNames.indexOf(e.getKey());
            labelSources[at] = e.getValue();
            baseValues[at] = e.getValue() == FROM_BASE ? base.get(e.getKey()).orElseThrow() : null;
            varies |= e.getValue() != FROM_BASE;
        }
        constantLabels = varies ? null : base;

        List<MetricColumn> ms = new ArrayList<>();
        for (ColumnDef c : query.columns()) {
            if (c.usage(profile).isMetric()) {
                ms.add(new MetricColumn(query, profile, c, index));
            }
        }
        metrics = List.copyOf(ms);

        List<String> undeclared = undeclaredColumns(query, index);
        undeclaredIndex = new int[undeclared.size()];
        undeclaredNames = new String[undeclared.size()];
        for (int i = 0; i < undeclared.size(); i++) {
            undeclaredIndex[i] = index.get(undeclared.get(i));
            undeclaredNames[i] = query.name() + "_" + undeclared.get(i);
        }
        undeclaredHelp = "Unknown metric from " + query.name();
    }

    /** Whether this layout serves a result of these columns, with these base labels. */
    boolean fits(List<String> columns, Labels base, boolean datnameWanted) {
        return addDatname == datnameWanted && this.base.equals(base) && this.columns.equals(columns);
    }

    /** A row's labels; {@code scratch} is reused from row to row (Labels copies it). */
    Labels labels(Object[] row, String database, String[] scratch) {
        if (constantLabels != null) {
            return constantLabels;
        }
        for (int i = 0; i < labelSources.length; i++) {
            int from = labelSources[i];
            scratch[i] = from >= 0 ? Values.label(row[from]) : from == FROM_DATABASE ? database : baseValues[i];
        }
        return Labels.of(labelNames, scratch);
    }

    private static void requireDeclaredColumns(QueryDef query, NamingProfile profile, Map<String, Integer> index) {
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

    private static List<String> undeclaredColumns(QueryDef query, Map<String, Integer> index) {
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

    /** One metric column: where it is and what its samples are called, worked out once. */
    static final class MetricColumn {
        final ColumnDef column;
        final Usage usage;
        final MetricType type;
        final int index;
        final int bucketIndex;
        final int sumIndex;
        final int countIndex;
        /** Whether a number in the column is the value itself, only scaled (not a mapping, duration or histogram). */
        final boolean plainNumber;

        private final double scale;
        private final QueryDef query;
        private final NamingProfile profile;
        /** The metric name, or null when a row value names it (name_from). */
        private final String fixedName;

        private final int nameFromIndex;
        private final Map<String, String> namesByValue;
        /** The help text, or null when a row value gives it (help_from). */
        private final String fixedHelp;

        private final int helpFromIndex;

        MetricColumn(QueryDef query, NamingProfile profile, ColumnDef c, Map<String, Integer> index) {
            this.query = query;
            this.profile = profile;
            this.column = c;
            this.usage = c.usage(profile);
            this.type = switch (usage) {
                case COUNTER -> MetricType.COUNTER;
                case HISTOGRAM -> MetricType.HISTOGRAM;
                default -> MetricType.GAUGE;
            };
            this.plainNumber = usage != Usage.MAPPEDMETRIC && usage != Usage.DURATION && usage != Usage.HISTOGRAM;
            this.index = index.get(c.name());
            this.bucketIndex = index.getOrDefault(c.name() + "_bucket", -1);
            this.sumIndex = index.getOrDefault(c.name() + "_sum", -1);
            this.countIndex = index.getOrDefault(c.name() + "_count", -1);
            this.scale = c.scale();
            this.fixedName = c.nameFrom().isEmpty() ? query.metricName(c, profile) : null;
            this.nameFromIndex = c.nameFrom().map(index::get).orElse(-1);
            this.namesByValue = fixedName == null ? new ConcurrentHashMap<>() : Map.of();
            this.fixedHelp = c.helpFrom().isEmpty() ? query.helpFor(c) : null;
            this.helpFromIndex = c.helpFrom().map(index::get).orElse(-1);
        }

        String name(Object[] row) {
            if (fixedName != null) {
                return fixedName;
            }
            String part = Values.label(row[nameFromIndex]);
            String name = namesByValue.get(part);
            if (name == null) {
                String metric = query.name() + "_" + Values.sanitize(part);
                name = query.metricName(column.toBuilder().metric(metric).build(), profile);
                if (namesByValue.size() < MAX_NAMES_PER_COLUMN) {
                    namesByValue.put(part, name);
                }
            }
            return name;
        }

        /** Whether every row's samples have the same metric name (no name_from). */
        boolean hasFixedName() {
            return fixedName != null;
        }

        String help(Object[] row) {
            return fixedHelp != null ? fixedHelp : Values.label(row[helpFromIndex]);
        }

        double scaled(double v) {
            return scale == 1.0 ? v : v * scale;
        }

        Double scaled(Double v) {
            if (v == null || scale == 1.0) { // not a conditional expression: that would unbox v
                return v;
            }
            return v * scale;
        }
    }
}
