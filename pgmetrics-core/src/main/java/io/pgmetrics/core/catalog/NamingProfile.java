package io.pgmetrics.core.catalog;

/**
 * How metric names are spelled.
 *
 * <p>{@link #COMPAT} keeps postgres_exporter's names, types and labels so existing dashboards and
 * alert rules keep working (counters without {@code _total}, timestamps typed as counters, XID ages
 * named {@code _seconds}). {@link #STRICT} applies the Prometheus naming rules: counters end in
 * {@code _total}, units are base units in the name, and a column's {@code strict} overrides apply.
 */
public enum NamingProfile {
    COMPAT,
    STRICT;

    public static NamingProfile parse(String text) {
        for (NamingProfile p : values()) {
            if (p.name().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown naming profile '" + text + "'; use compat or strict");
    }
}
