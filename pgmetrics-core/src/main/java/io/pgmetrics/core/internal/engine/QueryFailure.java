package io.pgmetrics.core.internal.engine;

/** A query that could not produce its series this time; the message says why, for the log and the landing page. */
final class QueryFailure extends RuntimeException {
    QueryFailure(String message) {
        super(message, null, false, false);
    }
}
