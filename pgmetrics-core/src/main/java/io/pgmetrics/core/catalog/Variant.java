package io.pgmetrics.core.catalog;

import java.util.Objects;

/** The SQL of a query for one range of server versions. */
public record Variant(VersionRange versions, String sql) {
    public Variant {
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(sql, "sql");
    }
}
