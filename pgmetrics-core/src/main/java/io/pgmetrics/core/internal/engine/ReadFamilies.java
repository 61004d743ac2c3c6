package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gathers the samples of one read into families, by the rules {@link FamilySet} applies to a whole
 * collection: the first sample of a name fixes its family's type, help and unit; a series seen twice,
 * or a sample whose type clashes with its family's, is dropped and counted. A column whose metric name
 * does not change from row to row finds its family through a slot instead of a lookup by name. Not
 * thread-safe: one per read.
 */
final class ReadFamilies {

    private static final class Family {
        final String name;
        final MetricType type;
        final String help;
        final Optional<String> unit;
        final List<Sample> samples = new ArrayList<>();
        /** The series seen: a plain sample by its labels, others by suffix and labels (the two never equal). */
        final Set<Object> keys = new HashSet<>();

        Family(String name, MetricType type, String help, Optional<String> unit) {
            this.name = name;
            this.type = type;
            this.help = help;
            this.unit = unit;
        }
    }

    private final Map<String, Family> byName = new HashMap<>();
    private final List<Family> order = new ArrayList<>();
    private final Family[] slots;
    private int duplicates;

    /** @param slots how many columns find their family through a slot (see {@link #add(int, String, MetricType, String, Optional, Sample)}) */
    ReadFamilies(int slots) {
        this.slots = new Family[slots];
    }

    /** Adds a sample whose family name is the same in every row of this column ({@code slot}). */
    void add(int slot, String name, MetricType type, String help, Optional<String> unit, Sample sample) {
        Family f = slots[slot];
        if (f == null) {
            f = family(name, type, help, unit);
            slots[slot] = f;
        }
        put(f, type, sample);
    }

    /** Adds a sample whose family name may change from row to row. */
    void add(String name, MetricType type, String help, Optional<String> unit, Sample sample) {
        put(family(name, type, help, unit), type, sample);
    }

    private Family family(String name, MetricType type, String help, Optional<String> unit) {
        Family f = byName.get(name);
        if (f == null) {
            f = new Family(name, type, help, unit);
            byName.put(name, f);
            order.add(f);
        }
        return f;
    }

    private void put(Family f, MetricType type, Sample sample) {
        if (f.type != type || !f.keys.add(FamilySet.seriesKey(sample))) {
            duplicates++;
            return;
        }
        f.samples.add(sample);
    }

    MappedRead build(int rows, boolean truncated) {
        List<MetricFamily> families = new ArrayList<>(order.size());
        for (Family f : order) {
            if (!f.samples.isEmpty()) {
                families.add(new MetricFamily(f.name, f.type, f.help, f.unit, f.samples));
            }
        }
        return new MappedRead(families, duplicates, rows, truncated);
    }
}
