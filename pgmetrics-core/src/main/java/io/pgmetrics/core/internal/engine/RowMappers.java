package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.Labels;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link RowMapper} per query, kept from one collection to the next so that each query's layout
 * (column positions, metric names, label names) is worked out once, not at every scrape. Keyed by the
 * query object itself: the plan hands out the catalog's own definitions, and a record's deep equality
 * would cost what the cache saves. A new plan with other definitions simply adds entries; past
 * {@link #MAX_QUERIES} the cache starts over, which bounds what replaced definitions can hold.
 */
final class RowMappers {

    private static final int MAX_QUERIES = 4096;

    private final NamingProfile profile;
    private final Labels base;
    private final Map<QueryDef, RowMapper> byQuery = new IdentityHashMap<>();

    /** @param base the labels every series gets (the target's constant labels) */
    RowMappers(NamingProfile profile, Labels base) {
        this.profile = profile;
        this.base = base;
    }

    /**
     * Maps one read of {@code query} in {@code database} (null: cluster scope); notes for the log go to
     * {@code warnings}.
     *
     * @throws QueryFailure when the rows do not fit the query's declaration
     */
    MappedRead map(QueryDef query, RowSet rows, String database, List<String> warnings) {
        return of(query).map(rows, base, database, warnings);
    }

    synchronized RowMapper of(QueryDef query) {
        RowMapper m = byQuery.get(query);
        if (m == null) {
            if (byQuery.size() >= MAX_QUERIES) {
                byQuery.clear();
            }
            m = new RowMapper(query, profile);
            byQuery.put(query, m);
        }
        return m;
    }
}
