package io.pgmetrics.core.sample;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * All series of one metric name, ready to expose.
 *
 * @param name the exposed name; for counters it is the exact sample name (postgres_exporter's
 *     counters without {@code _total} keep their name in the compat profile)
 * @param type the exposition type
 * @param help the HELP text
 * @param unit the base unit ("seconds", "bytes") when known
 * @param samples the series, without duplicates
 */
public record MetricFamily(String name, MetricType type, String help, Optional<String> unit, List<Sample> samples) {

    public MetricFamily {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        help = help == null ? "" : help;
        Objects.requireNonNull(unit, "unit");
        samples = List.copyOf(samples);
    }

    public static MetricFamily gauge(String name, String help, List<Sample> samples) {
        return new MetricFamily(name, MetricType.GAUGE, help, Optional.empty(), samples);
    }

    /** The value of the series with exactly these labels (suffix ""), if present. */
    public Optional<Double> value(Labels labels) {
        return samples.stream()
                .filter(s -> s.suffix().isEmpty() && s.labels().equals(labels))
                .map(Sample::value)
                .findFirst();
    }
}
