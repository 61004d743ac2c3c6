package io.pgmetrics.core.internal.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last rows each database-scoped query returned in each database, and when: a database that a
 * collection could not refresh in time (more databases than connections and time allow) is served
 * from here, with its age, rather than left out.
 */
final class LastReads {

    /** Rows of one query in one database and when they were read. */
    record Read(RowSet rows, Instant at) {}

    private record Key(String query, String database) {}

    private final Map<Key, Read> reads = new ConcurrentHashMap<>();

    void put(String query, String database, RowSet rows, Instant at) {
        reads.put(new Key(query, database), new Read(rows, at));
    }

    Optional<Read> get(String query, String database) {
        return Optional.ofNullable(reads.get(new Key(query, database)));
    }

    /** Forgets databases that are gone and queries no longer planned. */
    void keepOnly(Collection<String> databases, Set<String> queries) {
        Set<String> dbs = Set.copyOf(databases);
        reads.keySet().removeIf(k -> !dbs.contains(k.database()) || !queries.contains(k.query()));
    }
}
