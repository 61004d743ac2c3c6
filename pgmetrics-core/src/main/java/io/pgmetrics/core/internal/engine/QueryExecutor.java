package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.connect.ConnectionSource;
import io.pgmetrics.core.internal.connect.ConnectionFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Runs one planned query in one database and says how it went: serves it from its TTL cache when
 * fresh, gives it the smaller of its timeout and the time left, and when the kept connection turns
 * out dead ({@link ConnectionFailures#lost}) tries once more on a new one, so that a backend killed
 * mid-scrape costs that query, not the collection. A query that refreshes in the background ({@link
 * QueryDef#refreshInBackground()}) is served from its last rows once its ttl has passed, and read again
 * by {@link #refreshDue} after the collection.
 */
final class QueryExecutor {

    /**
     * One query in one database: its rows, already mapped to samples (on the lane that read them), or
     * why there are none ({@code read} null).
     */
    record Ran(Plan.PlannedQuery query, String database, MappedRead read, QueryOutcome outcome) {}

    private record CachedRead(MappedRead read, Instant expires) {}

    private final ConnectionSource source;
    private final Duration defaultTimeout;
    private final LoginCheck loginCheck;
    private final BiConsumer<String, String> logOnce;
    private final Map<String, String> lastErrors;
    private final RowMappers mappers;
    private final Map<String, CachedRead> cache = new ConcurrentHashMap<>();
    /** Keys being read again in the background: one refresh at a time per query and database. */
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    QueryExecutor(
            ConnectionSource source,
            Duration defaultTimeout,
            LoginCheck loginCheck,
            BiConsumer<String, String> logOnce,
            Map<String, String> lastErrors,
            RowMappers mappers) {
        this.source = source;
        this.mappers = mappers;
        this.defaultTimeout = defaultTimeout;
        this.loginCheck = loginCheck;
        this.logOnce = logOnce;
        this.lastErrors = lastErrors;
    }

    /** Forgets cached rows (the plan changed). */
    void clearCache() {
        cache.clear();
    }

    /** The query's rows or why there are none; null when the collection's deadline cut it off first. */
    Ran run(Plan.PlannedQuery pq, String db, Instant deadline) {
        Ran hit = fromCache(pq, db, Instant.now());
        return hit != null ? hit : read(pq, db, deadline);
    }

    /** Reads the query now, whatever the cache holds. */
    private Ran read(Plan.PlannedQuery pq, String db, Instant deadline) {
        QueryDef q = pq.query();
        String key = key(q, db);
        Instant now = Instant.now();
        Duration left = Duration.between(now, deadline);
        if (left.toMillis() < 10) {
            return null;
        }
        Duration own = q.timeout().orElse(defaultTimeout);
        Duration timeout = own.compareTo(left) > 0 ? left : own;
        long t0 = System.nanoTime();
        for (boolean retried = false; ; retried = true) {
            Connection c = null;
            try {
                c = source.connection(db);
                RowSet rows = QueryRunner.run(c, pq, timeout, db != null, !source.setsSessionTimeouts());
                c.close();
                c = null;
                return succeeded(pq, db, rows, since(t0));
            } catch (QueryRunner.PredicateFalse e) {
                return new Ran(
                        pq,
                        db,
                        null,
                        new QueryOutcome(
                                q.name(),
                                q.collector(),
                                Optional.ofNullable(db),
                                QueryOutcome.Status.SKIPPED,
                                Optional.of(e.getMessage()),
                                since(t0),
                                0,
                                false,
                                false));
            } catch (SQLException | RuntimeException e) {
                boolean lost = c != null && ConnectionFailures.lost(e);
                c = afterError(c, e);
                if (lost
                        && !retried
                        && Duration.between(Instant.now(), deadline).toMillis() >= 10) {
                    continue;
                }
                if (Thread.currentThread().isInterrupted()
                        || Instant.now().plusMillis(10).isAfter(deadline)) {
                    return null; // cut by the collection's deadline: not this query's failure
                }
                boolean cancelled = ConnectionFailures.cancelled(e);
                String message =
                        cancelled ? "cancelled after " + timeout.toMillis() + " ms (timeout)" : Engine.describe(e);
                logOnce.accept(key, "query " + q.name() + where(db) + " failed: " + message);
                QueryOutcome.Status status = cancelled ? QueryOutcome.Status.TIMED_OUT : QueryOutcome.Status.FAILED;
                return new Ran(pq, db, null, failed(pq, db, status, message, since(t0)));
            } finally {
                giveBack(c);
            }
        }
    }

    /**
     * Runs one database's queries, sending together in one round trip ({@link QueryRunner#together})
     * those that need nothing first (no predicate, no extension check) and did not fail last time;
     * when that round trip fails, each runs again on its own, so one failing query never hides the
     * others. Same order as {@code queries}; null where the collection's deadline cut it off first.
     */
    List<Ran> runTogether(List<Plan.PlannedQuery> queries, String db, Instant deadline) {
        Ran[] out = new Ran[queries.size()];
        List<Integer> together = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < queries.size(); i++) {
            Plan.PlannedQuery pq = queries.get(i);
            QueryDef q = pq.query();
            out[i] = fromCache(pq, db, now);
            if (out[i] == null
                    && q.predicate().isEmpty()
                    && (db == null || q.extensions().isEmpty())
                    && !lastErrors.containsKey(key(q, db))) {
                together.add(i);
            }
        }
        if (together.size() > 1) {
            sendTogether(queries, together, db, deadline, out);
        }
        for (int i = 0; i < queries.size(); i++) {
            if (out[i] == null) {
                if (Duration.between(Instant.now(), deadline).toMillis() < 10) {
                    break; // the rest: cut by the deadline
                }
                out[i] = run(queries.get(i), db, deadline);
            }
        }
        return Arrays.asList(out);
    }

    /** Fills in the rows of {@code indexes} when their one round trip succeeds; leaves them null when not. */
    private void sendTogether(
            List<Plan.PlannedQuery> queries, List<Integer> indexes, String db, Instant deadline, Ran[] out) {
        Duration left = Duration.between(Instant.now(), deadline);
        // the round trip may take as long as its queries one after the other, but at most half the time
        // left: when one query hangs, the others still have time to run again on their own
        Duration timeout = Duration.ZERO;
        for (int i : indexes) {
            timeout = timeout.plus(queries.get(i).query().timeout().orElse(defaultTimeout));
        }
        Duration half = left.dividedBy(2);
        timeout = timeout.compareTo(half) > 0 ? half : timeout;
        long t0 = System.nanoTime();
        Connection c = null;
        try {
            c = source.connection(db);
            List<QueryRunner.Wrapped> wrapped = new ArrayList<>();
            for (int i : indexes) {
                Duration own = queries.get(i).query().timeout().orElse(defaultTimeout);
                wrapped.add(QueryRunner.wrapped(
                        c, queries.get(i), own.compareTo(left) > 0 ? left : own, !source.setsSessionTimeouts()));
            }
            List<RowSet> rows = QueryRunner.together(c, wrapped, timeout);
            c.close();
            c = null;
            // they ran one after the other on the server: each is given an equal share of the round trip
            Duration share = since(t0).dividedBy(indexes.size());
            for (int k = 0; k < indexes.size(); k++) {
                Plan.PlannedQuery pq = queries.get(indexes.get(k));
                out[indexes.get(k)] = succeeded(pq, db, rows.get(k), share);
            }
        } catch (SQLException | RuntimeException e) {
            // each runs again on its own: that tells which failed, and retries on a new connection when it was lost
            c = afterError(c, e);
        } finally {
            giveBack(c);
        }
    }

    /**
     * Maps the rows just read, here on the lane that read them (so mapping overlaps the other lanes'
     * round trips, and a read served again later is not mapped again); rows that do not fit the query's
     * declaration fail it.
     */
    private Ran succeeded(Plan.PlannedQuery pq, String db, RowSet rows, Duration took) {
        QueryDef q = pq.query();
        String key = key(q, db);
        MappedRead read;
        List<String> warnings = new ArrayList<>(0);
        try {
            read = mappers.map(q, rows, db, warnings);
        } catch (QueryFailure e) {
            logOnce.accept(key, "query " + q.name() + where(db) + " failed: " + e.getMessage());
            cache.remove(key);
            return new Ran(pq, db, null, failed(pq, db, QueryOutcome.Status.FAILED, e.getMessage(), took));
        }
        for (String w : warnings) {
            logOnce.accept(q.name() + "/" + w, "query " + q.name() + ": " + w);
        }
        if (!q.ttl().isZero()) {
            cache.put(key, new CachedRead(read, Instant.now().plus(q.ttl())));
        }
        lastErrors.remove(key);
        return new Ran(pq, db, read, ok(q, db, read, took, false));
    }

    private static QueryOutcome ok(QueryDef q, String db, MappedRead read, Duration took, boolean cached) {
        return new QueryOutcome(
                q.name(),
                q.collector(),
                Optional.ofNullable(db),
                QueryOutcome.Status.OK,
                Optional.empty(),
                took,
                read.rows(),
                cached,
                read.truncated());
    }

    static QueryOutcome failed(
            Plan.PlannedQuery pq, String db, QueryOutcome.Status status, String message, Duration took) {
        return new QueryOutcome(
                pq.query().name(),
                pq.query().collector(),
                Optional.ofNullable(db),
                status,
                Optional.of(message),
                took,
                0,
                false,
                false);
    }

    /**
     * The query's rows from the TTL cache while they are fresh, or, for a query that refreshes in the
     * background, while its refresh runs or until one more ttl has passed (when its refresh could not
     * run, the collection reads it itself); null when they are not there or too old.
     */
    private Ran fromCache(Plan.PlannedQuery pq, String db, Instant now) {
        String key = key(pq.query(), db);
        CachedRead hit = cache.get(key);
        if (hit == null) {
            return null;
        }
        boolean served = hit.expires().isAfter(now)
                || (pq.query().refreshInBackground()
                        && (refreshing.contains(key)
                                || hit.expires().plus(pq.query().ttl()).isAfter(now)));
        return served ? new Ran(pq, db, hit.read(), ok(pq.query(), db, hit.read(), Duration.ZERO, true)) : null;
    }

    /** Whether the query refreshes in the background, its ttl has passed and no refresh of it runs. */
    boolean dueForRefresh(Plan.PlannedQuery pq, String db) {
        String key = key(pq.query(), db);
        CachedRead hit = cache.get(key);
        return pq.query().refreshInBackground()
                && hit != null
                && !hit.expires().isAfter(Instant.now())
                && !refreshing.contains(key);
    }

    /**
     * Reads the query again when {@link #dueForRefresh due}, with its own timeout; called after a
     * collection, so no collection waits for it. A refresh that fails drops the cached rows: the next
     * collection reads the query itself and reports why it fails.
     */
    void refreshDue(Plan.PlannedQuery pq, String db) {
        String key = key(pq.query(), db);
        CachedRead hit = cache.get(key);
        if (!dueForRefresh(pq, db) || !refreshing.add(key)) {
            return;
        }
        try {
            Ran ran = read(pq, db, Instant.now().plus(pq.query().timeout().orElse(defaultTimeout)));
            if (ran == null || ran.read() == null) {
                cache.remove(key, hit);
            }
        } finally {
            refreshing.remove(key);
        }
    }

    /**
     * After an error: a lost connection is reported to the pool (and to the login check), an unusable
     * one discarded; returns the connection still to give back, or null when the pool already has it.
     */
    private Connection afterError(Connection c, Exception e) {
        if (c != null && ConnectionFailures.lost(e)) {
            source.lost(c);
            loginCheck.connectionDied();
            return null;
        }
        if (c != null && ConnectionFailures.unusable(e)) {
            source.discard(c);
            return null;
        }
        return c;
    }

    /** Returns a connection still held (null: none) to the pool; one that cannot be closed is discarded. */
    private void giveBack(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                source.discard(c);
            }
        }
    }

    static String key(QueryDef q, String db) {
        return db == null ? q.name() : q.name() + "@" + db;
    }

    static String where(String db) {
        return db == null ? "" : " in database " + db;
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
