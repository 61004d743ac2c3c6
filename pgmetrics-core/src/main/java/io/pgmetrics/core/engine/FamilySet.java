package io.pgmetrics.core.engine;

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
 * Accumulates families from many queries and databases into one consistent set: a series seen
 * twice, or a family whose type clashes with one already added, is dropped and counted instead of
 * failing the whole scrape (postgres_exporter answers HTTP 500 to that).
 */
final class FamilySet {

    private final TreeMap<String, Builder> families = new TreeMap<>();
    private int duplicates;

    private static final class Builder {
        final MetricType type;
        final String help;
        final Optional<String> unit;
        final List<Sample> samples = new ArrayList<>();
        final Set<Sample.SeriesKey> keys = new HashSet<>();

        Builder(MetricType type, String help, Optional<String> unit) {
            this.type = type;
            this.help = help;
            this.unit = unit;
        }
    }

    /** Adds one sample; returns false (and counts it) when it duplicates a series or clashes in type. */
    boolean add(String name, MetricType type, String help, Optional<String> unit, Sample sample) {
        Builder b = families.computeIfAbsent(name, n -> new Builder(type, help, unit));
        if (b.type != type || !b.keys.add(sample.key())) {
            duplicates++;
            return false;
        }
        b.samples.add(sample);
        return true;
    }

    void add(String name, MetricType type, String help, Labels labels, double value) {
        add(name, type, help, Optional.empty(), Sample.of(labels, value));
    }

    /** Adds a whole family, series by series. */
    void addAll(MetricFamily family) {
        for (Sample s : family.samples()) {
            add(family.name(), family.type(), family.help(), family.unit(), s);
        }
        if (family.samples().isEmpty()) {
            families.computeIfAbsent(family.name(), n -> new Builder(family.type(), family.help(), family.unit()));
        }
    }

    int duplicates() {
        return duplicates;
    }

    /** The families sorted by name; families without any series are left out. */
    List<MetricFamily> build() {
        List<MetricFamily> out = new ArrayList<>(families.size());
        families.forEach((name, b) -> {
            if (!b.samples.isEmpty()) {
                out.add(new MetricFamily(name, b.type, b.help, b.unit, b.samples));
            }
        });
        return out;
    }
}
