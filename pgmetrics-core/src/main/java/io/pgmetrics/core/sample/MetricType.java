package io.pgmetrics.core.sample;

/** The exposition type of a metric family. */
public enum MetricType {
    GAUGE("gauge"),
    COUNTER("counter"),
    UNTYPED("untyped"),
    HISTOGRAM("histogram");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    /** The word the Prometheus text format uses. */
    public String text() {
        return text;
    }
}
