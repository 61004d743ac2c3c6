package io.pgmetrics.core.internal.publish;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Our families as client_java snapshots: what {@link io.pgmetrics.core.publish.PrometheusCollector} hands a
 * registry, and what the exporter gives client_java's OpenMetrics writer. The naming rules are
 * PrometheusCollector's (a compat counter without {@code _total} becomes untyped under its exact name).
 */
public final class Snapshots {

    private static final System.Logger LOG = System.getLogger(Snapshots.class.getName());

    private Snapshots() {}

    /** Converts families; one that client_java rejects (a reserved name in an old version) is left out and logged. */
    public static MetricSnapshots of(List<MetricFamily> families, Predicate<String> includedNames) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (MetricFamily f : families) {
            String exposedName = f.type() == MetricType.COUNTER && f.name().endsWith("_total")
                    ? f.name().substring(0, f.name().length() - "_total".length())
                    : f.name();
            if (!includedNames.test(exposedName) && !includedNames.test(f.name())) {
                continue;
            }
            try {
                out.metricSnapshot(snapshot(f, exposedName));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "family " + f.name() + " not publishable: " + e.getMessage());
            }
        }
        return out.build();
    }

    private static MetricSnapshot snapshot(MetricFamily f, String exposedName) {
        switch (f.type()) {
            case GAUGE: {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name()).help(f.help());
                for (Sample s : f.samples()) {
                    b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .labels(labels(s.labels()))
                            .value(s.value())
                            .build());
                }
                return b.build();
            }
            case COUNTER:
                if (!exposedName.equals(f.name())) {
                    CounterSnapshot.Builder b =
                            CounterSnapshot.builder().name(exposedName).help(f.help());
                    for (Sample s : f.samples()) {
                        b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(labels(s.labels()))
                                .value(s.value())
                                .build());
                    }
                    return b.build();
                }
                return unknown(f);
            case HISTOGRAM:
                return histogram(f);
            default:
                return unknown(f);
        }
    }

    private static MetricSnapshot unknown(MetricFamily f) {
        UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(f.name()).help(f.help());
        for (Sample s : f.samples()) {
            b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder()
                    .labels(labels(s.labels()))
                    .value(s.value())
                    .build());
        }
        return b.build();
    }

    /** Regroups the flat {@code _bucket}/{@code _sum}/{@code _count} samples into one data point per label set. */
    private static MetricSnapshot histogram(MetricFamily f) {
        Map<Labels, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Labels, Double> sums = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            if (s.suffix().equals("_bucket")) {
                buckets.computeIfAbsent(s.labels().without("le"), k -> new ArrayList<>())
                        .add(s);
            } else if (s.suffix().equals("_sum")) {
                sums.put(s.labels(), s.value());
            }
        }
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(f.name()).help(f.help());
        buckets.forEach((labels, list) -> {
            double[] bounds = new double[list.size()];
            long[] counts = new long[list.size()];
            double previous = 0;
            for (int i = 0; i < list.size(); i++) {
                String le = list.get(i).labels().get("le").orElse("+Inf");
                bounds[i] = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                double cumulative = list.get(i).value();
                counts[i] = Math.max(0, Math.round(cumulative - previous)); // client_java wants per-bucket counts
                previous = Math.max(previous, cumulative);
            }
            b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(labels(labels))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(Optional.ofNullable(sums.get(labels)).orElse(0.0))
                    .build());
        });
        return b.build();
    }

    private static io.prometheus.metrics.model.snapshots.Labels labels(Labels labels) {
        if (labels.isEmpty()) {
            return io.prometheus.metrics.model.snapshots.Labels.EMPTY;
        }
        String[] names = new String[labels.size()];
        String[] values = new String[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            names[i] = labels.name(i);
            values[i] = labels.value(i);
        }
        return io.prometheus.metrics.model.snapshots.Labels.of(names, values);
    }
}
