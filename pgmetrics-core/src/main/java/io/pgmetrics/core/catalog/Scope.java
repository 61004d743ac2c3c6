package io.pgmetrics.core.catalog;

/** Where a query runs. */
public enum Scope {
    /** Once per server, in the connection's default database. */
    CLUSTER,
    /** Once in each selected database; series get a {@code datname} label unless the query returns one. */
    DATABASE
}
