package io.pgmetrics.test;

import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A metric family a query declares: its name under a naming profile and the label names every series
 * carries (its LABEL columns, and {@code datname} for database scope, as the engine adds it).
 */
record DeclaredFamily(String name, SortedSet<String> labels, String query) {

    /** The families of a query whose names are known before it runs ({@code name_from} columns are not). */
    static List<DeclaredFamily> of(QueryDef query, NamingProfile profile) {
        SortedSet<String> labels = new TreeSet<>();
        for (ColumnDef c : query.columns()) {
            if (c.usage(profile) == Usage.LABEL) {
                labels.add(c.name());
            }
        }
        if (query.scope() == Scope.DATABASE) {
            labels.add("datname");
        }
        List<DeclaredFamily> families = new ArrayList<>();
        for (ColumnDef c : query.columns()) {
            if (c.usage(profile).isMetric() && c.nameFrom().isEmpty()) {
                families.add(new DeclaredFamily(query.metricName(c, profile), labels, query.name()));
            }
        }
        return families;
    }
}
