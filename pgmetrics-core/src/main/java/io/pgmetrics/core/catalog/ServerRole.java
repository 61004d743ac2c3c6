package io.pgmetrics.core.catalog;

/** Which servers a query runs on. */
public enum ServerRole {
    ANY,
    /** Only when the server is not in recovery. */
    PRIMARY,
    /** Only on a standby (in recovery). */
    REPLICA;

    public boolean accepts(boolean inRecovery) {
        return this == ANY || (this == REPLICA) == inRecovery;
    }
}
