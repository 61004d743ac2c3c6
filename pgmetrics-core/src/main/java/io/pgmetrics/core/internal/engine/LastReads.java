package io.pgmetrics.core.internal.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last read (rows mapped to samples) of each database-scoped query in each database, and when; and the last
 * failure of those that failed since. A database that a collection does not read itself (more
 * databases than kept connections: see {@link DatabaseRefresher}) is served from here, with its age,
 * rather than left out; a failed refresh is reported and the older rows are still served.
 */
final class LastReads {

    /** One query's samples in one database and when they were read. */
    record Read(MappedRead read, Instant at) {}

    private record Key(String query, String database) {}

    private final Map<Key, Read> reads = new ConcurrentHashMap<>();
    private final Map<Key, QueryExecutor.Ran> failures = new ConcurrentHashMap<>();

    void put(String query, String database, MappedRead read, Instant at) {
        Key key = new Key(query, database);
        reads.put(key, new Read(read, at));
        failures.remove(key);
    }

    /** Keeps what happened to one query in one database: its rows when it has some, else why not. */
    void record(QueryExecutor.Ran ran, Instant at) {
        String query = ran.query().query().name();
        if (ran.read() != null) {
            put(query, ran.database(), ran.read(), at);
        } else {
            failures.put(new Key(query, ran.database()), ran);
        }
    }

    Optional<Read> get(String query, String database) {
        return Optional.ofNullable(reads.get(new Key(query, database)));
    }

    /** The outcome of the last attempt when it brought no rows (failed, timed out, skipped), if it did not. */
    Optional<QueryExecutor.Ran> failure(String query, String database) {
        return Optional.ofNullable(failures.get(new Key(query, database)));
    }

    /** Forgets databases that are gone and queries no longer planned. */
    void keepOnly(Collection<String> databases, Set<String> queries) {
        Set<String> dbs = Set.copyOf(databases);
        reads.keySet().removeIf(k -> !dbs.contains(k.database()) || !queries.contains(k.query()));
        failures.keySet().removeIf(k -> !dbs.contains(k.database()) || !queries.contains(k.query()));
    }
}
