package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Accumulates families from many queries and databases into one consistent set: a series seen
 * twice, or a family whose type clashes with one already added, is dropped and counted instead of
 * failing the whole scrape (postgres_exporter answers HTTP 500 to that). Query series beyond
 * {@code maxSeries} are left out and counted too, which bounds the memory one collection takes;
 * self-metrics are always added. The engine fills one per collection; {@link #merge} joins such built
 * lists (the exporter's targets and its own metrics) without adding their series again. Not thread-safe.
 */
public final class FamilySet {

    /** By name; sorted once in {@link #build} (a hash lookup per sample, not a tree walk comparing long names). */
    private final HashMap<String, Builder> families = new HashMap<>();

    private final int maxSeries;
    private int series;
    private int duplicates;
    private int overLimit;

    /** Without a series limit. */
    public FamilySet() {
        this(Integer.MAX_VALUE);
    }

    /** @param maxSeries how many query series may be added; more are dropped and counted */
    public FamilySet(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    private static final class Builder {
        final MetricType type;
        final String help;
        final Optional<String> unit;
        /**
         * The one family of a read that gave every series so far, taken whole: its series are known to be
         * unique, so nothing is copied or hashed unless another series joins it (then it is spilled into
         * {@link #samples}). Null otherwise.
         */
        MetricFamily whole;

        List<Sample> samples;
        /** The series seen: a plain sample by its labels, others by suffix and labels (the two never equal). */
        Set<Object> keys;

        Builder(MetricType type, String help, Optional<String> unit) {
            this.type = type;
            this.help = help;
            this.unit = unit;
            this.samples = new ArrayList<>();
            this.keys = new HashSet<>();
        }

        Builder(MetricFamily whole) {
            this.type = whole.type();
            this.help = whole.help();
            this.unit = whole.unit();
            this.whole = whole;
        }

        /** Adds a series unless it is there already. */
        boolean add(Sample sample) {
            if (whole != null) {
                samples = new ArrayList<>(whole.samples());
                keys = new HashSet<>(samples.size() * 4 / 3 + 4);
                for (Sample s : samples) {
                    keys.add(seriesKey(s));
                }
                whole = null;
            }
            if (!keys.add(seriesKey(sample))) {
                return false;
            }
            samples.add(sample);
            return true;
        }

        boolean isEmpty() {
            return whole == null && samples.isEmpty();
        }

        MetricFamily build(String name) {
            return whole != null ? whole : new MetricFamily(name, type, help, unit, samples);
        }
    }

    /**
     * Adds one sample of a query; returns false (and counts it) when it duplicates a series, clashes
     * in type or the series limit is reached.
     */
    public boolean add(String name, MetricType type, String help, Optional<String> unit, Sample sample) {
        if (series >= maxSeries) {
            overLimit++;
            return false;
        }
        return put(name, type, help, unit, sample);
    }

    /** Adds a self-metric sample: never subject to the series limit. */
    public void add(String name, MetricType type, String help, Labels labels, double value) {
        put(name, type, help, Optional.empty(), Sample.of(labels, value));
    }

    private boolean put(String name, MetricType type, String help, Optional<String> unit, Sample sample) {
        Builder b = families.get(name);
        if (b == null) {
            b = new Builder(type, help, unit);
            families.put(name, b);
        }
        if (b.type != type || !b.add(sample)) {
            duplicates++;
            return false;
        }
        series++;
        return true;
    }

    /**
     * Adds what one query read in one database, mapped on its lane: a family whose name is new here is
     * taken whole, without looking at its series one by one; the others are added series by series, by
     * the rules of {@link #add(String, MetricType, String, Optional, Sample)}. The read's own repeats
     * count as duplicates here too.
     */
    void addRead(MappedRead read) {
        duplicates += read.duplicates();
        for (MetricFamily f : read.families()) {
            int size = f.samples().size();
            if (!families.containsKey(f.name()) && size <= maxSeries - series) {
                families.put(f.name(), new Builder(f));
                series += size;
            } else {
                for (Sample s : f.samples()) {
                    add(f.name(), f.type(), f.help(), f.unit(), s);
                }
            }
        }
    }

    /** What identifies a series in its family, without a key object for the common case of no suffix. */
    static Object seriesKey(Sample sample) {
        return sample.suffix().isEmpty() ? sample.labels() : sample.key();
    }

    /** Adds a whole family, series by series; a family without series still fixes the type and help of its name. */
    public void addAll(MetricFamily family) {
        for (Sample s : family.samples()) {
            add(family.name(), family.type(), family.help(), family.unit(), s);
        }
        if (family.samples().isEmpty()) {
            families.computeIfAbsent(family.name(), n -> new Builder(family.type(), family.help(), family.unit()));
        }
    }

    /** Series dropped because they repeated one already added or clashed with its family's type. */
    public int duplicates() {
        return duplicates;
    }

    /** Query series left out because {@code maxSeries} was reached. */
    public int overLimit() {
        return overLimit;
    }

    /** The families sorted by name; families without any series are left out. */
    public List<MetricFamily> build() {
        List<String> names = new ArrayList<>(families.keySet());
        Collections.sort(names);
        List<MetricFamily> out = new ArrayList<>(names.size());
        for (String name : names) {
            Builder b = families.get(name);
            if (!b.isEmpty()) {
                out.add(b.build(name));
            }
        }
        return out;
    }

    /**
     * Joins lists of built families into one list sorted by name, as if every family had been added to one
     * set in list order, without that cost: a family whose name no other family has is taken as it is (its
     * series were checked when it was built); only families that share a name are merged series by series,
     * the earlier list's series first.
     */
    public static List<MetricFamily> merge(List<List<MetricFamily>> lists) {
        List<MetricFamily> all = new ArrayList<>();
        lists.forEach(all::addAll);
        // stable, so equal names keep list order; sorted runs cost the sort a linear merge only
        all.sort(Comparator.comparing(MetricFamily::name));
        List<MetricFamily> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); ) {
            int end = i + 1;
            while (end < all.size() && all.get(end).name().equals(all.get(i).name())) {
                end++;
            }
            MetricFamily merged = end == i + 1 ? all.get(i) : mergeShared(all.subList(i, end));
            if (!merged.samples().isEmpty()) {
                out.add(merged);
            }
            i = end;
        }
        return out;
    }

    /** Families of one name: the first fixes type, help and unit; a repeated series or a clashing type is dropped. */
    private static MetricFamily mergeShared(List<MetricFamily> group) {
        MetricFamily first = group.get(0);
        int size = 0;
        for (MetricFamily f : group) {
            size += f.samples().size();
        }
        Set<Object> keys = new HashSet<>(size * 4 / 3 + 1);
        List<Sample> samples = new ArrayList<>(size);
        for (MetricFamily f : group) {
            if (f.type() != first.type()) {
                continue;
            }
            for (Sample s : f.samples()) {
                if (keys.add(seriesKey(s))) {
                    samples.add(s);
                }
            }
        }
        return new MetricFamily(first.name(), first.type(), first.help(), first.unit(), samples);
    }
}
