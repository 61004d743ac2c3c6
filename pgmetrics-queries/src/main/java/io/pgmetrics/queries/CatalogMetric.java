package io.pgmetrics.queries;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.sample.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One metric family a catalog column produces under a naming profile, as the engine names, types
 * and labels it; worked out from the declarations alone, without a server.
 *
 * @param name the family name; for a column named per row ({@code name_from}) a pattern such as
 *     {@code pg_settings_<name>}
 * @param type the exposition type
 * @param labels the label names, in the order the engine adds them
 * @param unit the base unit, when declared
 * @param help the HELP text (per row for {@code help_from} columns)
 * @param query the query
 * @param column the column
 * @param perRow whether the name is completed per row ({@code name_from})
 */
public record CatalogMetric(
        String name,
        MetricType type,
        List<String> labels,
        Optional<String> unit,
        String help,
        QueryDef query,
        ColumnDef column,
        boolean perRow) {

    public CatalogMetric {
        labels = List.copyOf(labels);
    }

    /** The metrics a query emits under a profile, in column order. */
    public static List<CatalogMetric> of(QueryDef query, NamingProfile profile) {
        List<String> labels = labels(query);
        List<CatalogMetric> out = new ArrayList<>();
        for (ColumnDef c : query.columns()) {
            Usage usage = c.usage(profile);
            if (!usage.isMetric()) {
                continue;
            }
            boolean perRow = c.nameFrom().isPresent();
            String name = perRow
                    ? query.metricName(
                            c.toBuilder()
                                    .metric(query.name() + "_<" + c.nameFrom().get() + ">")
                                    .build(),
                            profile)
                    : query.metricName(c, profile);
            String help = c.helpFrom().isPresent()
                    ? "(per row, from column " + c.helpFrom().get() + ")"
                    : query.helpFor(c);
            out.add(new CatalogMetric(name, type(usage), labels, c.unit(), help, query, c, perRow));
        }
        return out;
    }

    /** Whether some variant of the query runs on that server version. */
    public boolean appliesTo(int major) {
        return query.variantFor(PgVersion.major(major)).isPresent();
    }

    /** The exposition type the engine gives a usage. */
    static MetricType type(Usage usage) {
        return switch (usage) {
            case COUNTER -> MetricType.COUNTER;
            case HISTOGRAM -> MetricType.HISTOGRAM;
            default -> MetricType.GAUGE;
        };
    }

    /** A database-scoped query's series get {@code datname} first, unless the query returns its own. */
    private static List<String> labels(QueryDef query) {
        List<String> labels = new ArrayList<>();
        boolean ownDatname = query.column("datname").isPresent();
        if (query.scope() == Scope.DATABASE && !ownDatname) {
            labels.add("datname");
        }
        for (ColumnDef c : query.columns()) {
            if (c.usage() == Usage.LABEL) {
                labels.add(c.name());
            }
        }
        return labels;
    }
}
