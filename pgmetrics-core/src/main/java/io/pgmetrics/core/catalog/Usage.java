package io.pgmetrics.core.catalog;

/** What the engine does with one result column. */
public enum Usage {
    /** The value becomes a label on every metric of the query's row. */
    LABEL,
    /** A value that goes up and down. */
    GAUGE,
    /** A value that only grows until a reset. */
    COUNTER,
    /** A column the engine reads past (helper values, companions). */
    DISCARD,
    /** Text looked up in the column's {@code mapping} to a number. */
    MAPPEDMETRIC,
    /** An interval, or a number of milliseconds, exported in seconds (times the column's scale). */
    DURATION,
    /**
     * A pre-aggregated histogram: this column holds the ascending bucket upper bounds (an array),
     * and the row also holds {@code <name>_bucket} (cumulative counts), {@code <name>_sum} and {@code <name>_count}.
     */
    HISTOGRAM;

    public boolean isMetric() {
        return this != LABEL && this != DISCARD;
    }

    /** Case-sensitive lookup with a message listing what is accepted. */
    public static Usage parse(String text) {
        for (Usage u : values()) {
            if (u.name().equals(text)) {
                return u;
            }
        }
        throw new IllegalArgumentException(
                "unknown usage '" + text + "'; use one of " + java.util.Arrays.toString(values()));
    }
}
