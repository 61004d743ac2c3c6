package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.sample.MetricFamily;
import java.util.List;

/**
 * What one read of one query in one database maps to: its samples as families, each family's series
 * without repeats (a repeat within the read is dropped and counted in {@code duplicates}). Mapped once,
 * on the lane that read the rows, and kept instead of the rows wherever a read is kept (the TTL cache,
 * the last reads): a collection that serves the read again only merges its families ({@link
 * FamilySet#addRead}), it does not map the rows again.
 *
 * @param families in the order their names first appeared in the rows
 * @param duplicates series dropped because they repeated one of the read (or clashed in type)
 * @param rows the rows read
 * @param truncated whether rows beyond the query's max_rows were left unread
 */
record MappedRead(List<MetricFamily> families, int duplicates, int rows, boolean truncated) {

    MappedRead {
        families = List.copyOf(families);
    }
}
