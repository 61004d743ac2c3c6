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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Runs one planned query in one database and says how it went: serves it from its TTL cache when
 * fresh, gives it the smaller of its timeout and the time left, and when the kept connection turns
 * out dead ({@link ConnectionFailures#lost}) tries once more on a new one, so that a backend killed
 * mid-scrape costs that query, not the collection.
 */
final class QueryExecutor {

    /** Rows of one query in one database, or why there are none. */
    record Ran(Plan.PlannedQuery query, String database, RowSet rows, QueryOutcome outcome) {}

    private record CachedRows(RowSet rows, Instant expires) {}

    private final ConnectionSource source;
    private final Duration defaultTimeout;
    private final LoginCheck loginCheck;
    private final BiConsumer<String, String> logOnce;
    private final Map<String, String> lastErrors;
    private final Map<String, CachedRows> cache = new ConcurrentHashMap<>();

    QueryExecutor(
            ConnectionSource source,
            Duration defaultTimeout,
            LoginCheck loginCheck,
            BiConsumer<String, String> logOnce,
            Map<String, String> lastErrors) {
        this.source = source;
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
        QueryDef q = pq.query();
        String key = key(q, db);
        CachedRows hit = cache.get(key);
        Instant now = Instant.now();
        if (hit != null && hit.expires().isAfter(now)) {
            return new Ran(pq, db, hit.rows(), ok(q, db, hit.rows(), Duration.ZERO, true));
        }
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
                if (!q.ttl().isZero()) {
                    cache.put(key, new CachedRows(rows, Instant.now().plus(q.ttl())));
                }
                lastErrors.remove(key);
                return new Ran(pq, db, rows, ok(q, db, rows, since(t0), false));
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
                boolean hadConnection = c != null;
                if (hadConnection && ConnectionFailures.lost(e)) {
                    source.lost(c);
                    c = null;
                    loginCheck.connectionDied();
                    if (!retried && Duration.between(Instant.now(), deadline).toMillis() >= 10) {
                        continue;
                    }
                } else if (hadConnection && ConnectionFailures.unusable(e)) {
                    source.discard(c);
                    c = null;
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
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        source.discard(c);
                    }
                }
            }
        }
    }

    private static QueryOutcome ok(QueryDef q, String db, RowSet rows, Duration took, boolean cached) {
        return new QueryOutcome(
                q.name(),
                q.collector(),
                Optional.ofNullable(db),
                QueryOutcome.Status.OK,
                Optional.empty(),
                took,
                rows.rows().size(),
                cached,
                rows.truncated());
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
