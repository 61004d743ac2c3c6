package io.pgmetrics.core.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** An immutable set of label pairs, sorted by name, so equal sets are equal objects. */
public final class Labels implements Comparable<Labels> {

    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private final int hash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
        this.hash = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    /** Labels from alternating names and values: {@code of("datname", "app", "mode", "exclusive")}. */
    public static Labels of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return of(map);
    }

    public static Labels of(Map<String, String> map) {
        if (map.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, String> sorted = new TreeMap<>(map);
        return new Labels(
                sorted.keySet().toArray(new String[0]), sorted.values().toArray(new String[0]));
    }

    /**
     * Label names fixed once, sorted and without repeats, for building many {@link Labels} of the same
     * names without sorting them each time (a query's rows all have the same label columns).
     */
    public static final class Names {
        private final String[] sorted;

        private Names(String[] sorted) {
            this.sorted = sorted;
        }

        /** @throws IllegalArgumentException when a name repeats */
        public static Names of(Collection<String> names) {
            String[] sorted = names.toArray(new String[0]);
            Arrays.sort(sorted);
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i].equals(sorted[i - 1])) {
                    throw new IllegalArgumentException("label name " + sorted[i] + " given twice");
                }
            }
            return new Names(sorted);
        }

        public int size() {
            return sorted.length;
        }

        /** The position of a name, where {@link Labels#of(Names, String[])} expects its value; -1 if absent. */
        public int indexOf(String name) {
            int i = Arrays.binarySearch(sorted, name);
            return i >= 0 ? i : -1;
        }
    }

    /**
     * Labels of these names with these values, {@code values[i]} belonging to the name at {@link
     * Names#indexOf} i. The values are copied; the names are shared by every Labels built from them.
     */
    public static Labels of(Names names, String[] values) {
        if (values.length != names.sorted.length) {
            throw new IllegalArgumentException(values.length + " values for " + names.sorted.length + " label names");
        }
        if (values.length == 0) {
            return EMPTY;
        }
        String[] copy = values.clone();
        for (String v : copy) {
            Objects.requireNonNull(v, "label value");
        }
        return new Labels(names.sorted, copy);
    }

    /** These labels plus one more (replacing a label of the same name). */
    public Labels with(String name, String value) {
        // into the sorted arrays directly: no map per call (self-metrics, histogram buckets and the
        // exporter's server label call this for many series of every scrape)
        int i = Arrays.binarySearch(names, name);
        if (i >= 0) {
            String[] v = values.clone();
            v[i] = value;
            return new Labels(names, v);
        }
        int at = -i - 1;
        String[] n = new String[names.length + 1];
        String[] v = new String[names.length + 1];
        System.arraycopy(names, 0, n, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        n[at] = name;
        v[at] = value;
        System.arraycopy(names, at, n, at + 1, names.length - at);
        System.arraycopy(values, at, v, at + 1, names.length - at);
        return new Labels(n, v);
    }

    /** These labels plus others; on a name clash the other's value wins. */
    public Labels merge(Labels other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        TreeMap<String, String> map = new TreeMap<>(asMap());
        map.putAll(other.asMap());
        return of(map);
    }

    public Labels without(String name) {
        if (get(name).isEmpty()) {
            return this;
        }
        TreeMap<String, String> map = new TreeMap<>(asMap());
        map.remove(name);
        return of(map);
    }

    public Optional<String> get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? Optional.of(values[i]) : Optional.empty();
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    public List<String> names() {
        return List.of(names);
    }

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other
                && hash == other.hash
                && Arrays.equals(names, other.names)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Labels other) {
        int n = Math.min(names.length, other.names.length);
        for (int i = 0; i < n; i++) {
            int c = names[i].compareTo(other.names[i]);
            if (c == 0) {
                c = values[i].compareTo(other.values[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(names.length, other.names.length);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            parts.add(names[i] + "=\"" + values[i] + "\"");
        }
        return "{" + String.join(",", parts) + "}";
    }
}
