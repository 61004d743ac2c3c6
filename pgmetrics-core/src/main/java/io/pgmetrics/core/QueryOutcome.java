package io.pgmetrics.core;

import java.time.Duration;
import java.util.Optional;

/**
 * What happened to one query in one database during a collection.
 *
 * @param query the query's name
 * @param collector its collector
 * @param database the database, for database-scoped queries
 * @param status how it ended
 * @param message why it failed or was skipped
 * @param duration time spent (zero for a cache hit)
 * @param rows rows read
 * @param cached whether the rows came from the cache
 * @param truncated whether rows beyond max_rows were left unread
 */
public record QueryOutcome(
        String query,
        String collector,
        Optional<String> database,
        Status status,
        Optional<String> message,
        Duration duration,
        int rows,
        boolean cached,
        boolean truncated) {

    public enum Status {
        OK,
        /** The query failed (SQL error, connection lost, result not as declared). */
        FAILED,
        /** The query ran out of time (its own timeout or the collection's deadline). */
        TIMED_OUT,
        /** The predicate or a per-database extension check said not now; not an error. */
        SKIPPED
    }

    public boolean failed() {
        return status == Status.FAILED || status == Status.TIMED_OUT;
    }
}
