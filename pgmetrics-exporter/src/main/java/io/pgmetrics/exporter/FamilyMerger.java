package io.pgmetrics.exporter;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Joins the families of several targets and the exporter's own metrics into one consistent,
 * name-sorted response. A series seen twice, or a family whose type clashes with the
 * first one of its name, is dropped and counted: one bad source never fails the scrape
 * (postgres_exporter answers HTTP 500 to that).
 */
final class FamilyMerger {

    private final TreeMap<String, Acc> families = new TreeMap<>();
    private int dropped;

    private static final class Acc {
        final MetricType type;
        final String help;
        final Optional<String> unit;
        final List<Sample> samples = new ArrayList<>();
        final Set<Sample.SeriesKey> keys = new HashSet<>();

        Acc(MetricType type, String help, Optional<String> unit) {
            this.type = type;
            this.help = help;
            this.unit = unit;
        }
    }

    void add(MetricFamily f) {
        Acc acc = families.computeIfAbsent(f.name(), n -> new Acc(f.type(), f.help(), f.unit()));
        if (acc.type != f.type()) {
            dropped += f.samples().size();
            return;
        }
        for (Sample s : f.samples()) {
            if (acc.keys.add(s.key())) {
                acc.samples.add(s);
            } else {
                dropped++;
            }
        }
    }

    void addAll(List<MetricFamily> list) {
        list.forEach(this::add);
    }

    void gauge(String name, String help, Labels labels, double value) {
        add(new MetricFamily(name, MetricType.GAUGE, help, Optional.empty(), List.of(Sample.of(labels, value))));
    }

    void counter(String name, String help, Labels labels, double value) {
        add(new MetricFamily(name, MetricType.COUNTER, help, Optional.empty(), List.of(Sample.of(labels, value))));
    }

    void untyped(String name, String help, Labels labels, double value) {
        add(new MetricFamily(name, MetricType.UNTYPED, help, Optional.empty(), List.of(Sample.of(labels, value))));
    }

    int dropped() {
        return dropped;
    }

    List<MetricFamily> build() {
        List<MetricFamily> out = new ArrayList<>(families.size());
        families.forEach((name, acc) -> {
            if (!acc.samples.isEmpty()) {
                out.add(new MetricFamily(name, acc.type, acc.help, acc.unit, acc.samples));
            }
        });
        return out;
    }
}
