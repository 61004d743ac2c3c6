package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import java.util.IdentityHashMap;
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
    private final Map<QueryDef, RowMapper> byQuery = new IdentityHashMap<>();

    RowMappers(NamingProfile profile) {
        this.profile = profile;
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
