package io.pgmetrics.core.sample;

import java.util.Objects;

/**
 * One exposed value.
 *
 * @param suffix appended to the family name: "" for gauges, counters and untyped; "_bucket", "_sum"
 *     or "_count" for histograms (buckets carry an {@code le} label)
 * @param labels the series' labels
 * @param value the value
 */
public record Sample(String suffix, Labels labels, double value) {
    public Sample {
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(labels, "labels");
    }

    public static Sample of(Labels labels, double value) {
        return new Sample("", labels, value);
    }

    /** The labels that identify the series within its family (a bucket's {@code le} included). */
    public SeriesKey key() {
        return new SeriesKey(suffix, labels);
    }

    /** Identity of a series within a family. */
    public record SeriesKey(String suffix, Labels labels) {}
}
