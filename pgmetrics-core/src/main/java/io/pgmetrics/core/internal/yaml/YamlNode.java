package io.pgmetrics.core.internal.yaml;

import io.pgmetrics.core.yaml.Location;
import io.pgmetrics.core.yaml.YamlException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A parsed YAML value that remembers where it was written, so every problem can point at a line and column.
 * {@link YamlTree} makes them from a text or a file.
 *
 * <p>The typed getters ({@link #asMap}, {@link #asList}, {@link #asText}, {@link #asTextMap}, and on a map
 * {@link MapNode#checkKeys}; booleans, numbers and durations through a {@link Spelling}) return the value or
 * throw a {@link YamlException} such as {@code web.yml:4:18: tls_server_config.cipher_suites must be a list,
 * but it is text; write each item on its own '- ' line}. Their {@code what} argument names the value in that
 * message. The messages say what
 * kind of value was found, never the value, which may be a secret. (The catalog loaders of this package read
 * the nodes directly instead, to report every problem of a file at once.)
 */
public sealed interface YamlNode {

    Location location();

    /** What the node is, value included, for catalog messages: "the text 'x'", "the number 5", "a list" … */
    String kind();

    /** What the node is without its value: "text", "a number", "a boolean", "nothing", "a list", "a map". */
    String typeName();

    /** Whether this is YAML's null: a key without a value, {@code ~} or {@code null}. */
    default boolean isNull() {
        return this instanceof Scalar s && s.type() == ScalarType.NULL;
    }

    /** This node as a map; null (a key without a value) is an empty map. */
    default MapNode asMap(String what) {
        if (this instanceof MapNode map) {
            return map;
        }
        if (isNull()) {
            return new MapNode(List.of(), location());
        }
        throw wrongType(what, "a map of keys and values", "");
    }

    /** This node's items; null is an empty list. */
    default List<YamlNode> asList(String what) {
        if (this instanceof ListNode list) {
            return list.items();
        }
        if (isNull()) {
            return List.of();
        }
        throw wrongType(what, "a list", "; write each item on its own '- ' line");
    }

    /** The text of a single value as written (numbers and booleans too); null is empty text. */
    default String asText(String what) {
        if (this instanceof Scalar s) {
            return s.isNull() ? "" : s.text();
        }
        throw wrongType(what, "text", "");
    }

    /** A map of text to text, in file order; each value is read as by {@link #asText}, a repeated key is an error. */
    default Map<String, String> asTextMap(String what) {
        Map<String, String> out = new LinkedHashMap<>();
        asMap(what)
                .toMap(what)
                .forEach((key, entry) -> out.put(key, entry.value().asText(what + "." + key)));
        return out;
    }

    private YamlException wrongType(String what, String expected, String hint) {
        return new YamlException(location(), what + " must be " + expected + ", but it is " + typeName() + hint);
    }

    /**
     * A scalar: its text as written (numbers keep their spelling, so "16.10" stays "16.10").
     *
     * @param type how YAML resolved the plain scalar; readers look at the text and decide themselves
     */
    record Scalar(String text, ScalarType type, Location location) implements YamlNode {
        @Override
        public String kind() {
            return switch (type) {
                case NULL -> "nothing";
                case NUMBER -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case TEXT -> "the text '" + Messages.abbreviate(text) + "'";
            };
        }

        @Override
        public String typeName() {
            return switch (type) {
                case NULL -> "nothing";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case TEXT -> "text";
            };
        }
    }

    enum ScalarType {
        TEXT,
        NUMBER,
        BOOLEAN,
        NULL
    }

    /** A map, entries in file order; a repeated key is kept so that a reader can report it. */
    record MapNode(List<Entry> entries, Location location) implements YamlNode {
        @Override
        public String kind() {
            return "a map";
        }

        @Override
        public String typeName() {
            return "a map";
        }

        /** The value of the first entry with this key. */
        public Optional<YamlNode> get(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return Optional.of(e.value());
                }
            }
            return Optional.empty();
        }

        /** The entries by key, in file order. @throws YamlException for a key written twice */
        public Map<String, Entry> toMap(String what) {
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                Entry first = out.putIfAbsent(e.key(), e);
                if (first != null) {
                    throw repeated(e, first, what);
                }
            }
            return out;
        }

        /** Every key not in {@code allowed} and every key written twice, in file order. */
        public List<YamlException> keyProblems(Collection<String> allowed, String what) {
            List<YamlException> out = new ArrayList<>();
            Map<String, Entry> seen = new LinkedHashMap<>();
            for (Entry e : entries) {
                Entry first = seen.putIfAbsent(e.key(), e);
                if (!allowed.contains(e.key())) {
                    out.add(new YamlException(
                            e.keyLocation(),
                            "unknown key " + Messages.key(e.key()) + " in " + what
                                    + "; known keys: " + String.join(", ", new TreeSet<>(allowed))
                                    + Messages.closest(e.key(), allowed)
                                            .map(c -> "; did you mean '" + c + "'?")
                                            .orElse("")));
                } else if (first != null) {
                    out.add(repeated(e, first, what));
                }
            }
            return out;
        }

        /** @throws YamlException for the first key not in {@code allowed} or written twice */
        public void checkKeys(Collection<String> allowed, String what) {
            List<YamlException> problems = keyProblems(allowed, what);
            if (!problems.isEmpty()) {
                throw problems.get(0);
            }
        }

        private static YamlException repeated(Entry e, Entry first, String what) {
            return new YamlException(
                    e.keyLocation(),
                    "key " + Messages.key(e.key()) + " is repeated in " + what + " (first at line "
                            + first.keyLocation().line() + "); keep one");
        }
    }

    record Entry(String key, Location keyLocation, YamlNode value) {}

    record ListNode(List<YamlNode> items, Location location) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }

        @Override
        public String typeName() {
            return "a list";
        }
    }
}
