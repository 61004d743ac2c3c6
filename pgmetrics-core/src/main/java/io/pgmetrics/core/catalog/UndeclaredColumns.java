package io.pgmetrics.core.catalog;

/** What happens to a result column the query does not declare. */
public enum UndeclaredColumns {
    /** Read past it (logged once per plan), so a catalog survives new columns in upstream views. */
    IGNORE,
    /** Export numeric values as an untyped metric, as postgres_exporter's custom queries do. */
    UNTYPED
}
