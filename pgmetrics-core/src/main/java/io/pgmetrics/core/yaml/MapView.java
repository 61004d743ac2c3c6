package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.internal.yaml.Messages;
import io.pgmetrics.core.internal.yaml.Spelling;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlNode.Entry;
import io.pgmetrics.core.internal.yaml.YamlNode.ListNode;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.internal.yaml.YamlNode.Scalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Typed, located access to one YAML map. Every getter reports a problem (naming the query, column and key,
 * and how to fix it) and returns empty when the value is missing or of the wrong type, so a loader can go on
 * and report the rest of the file.
 */
final class MapView {

    /** How lenient the dialect is, and how it spells values. */
    enum Dialect {
        /** Our format: unknown keys and keys without a value are errors. */
        STRICT(Spelling.PGMETRICS),
        /** postgres_exporter and CloudNativePG files: unknown keys are warnings, a key without a value means its default. */
        FOREIGN(Spelling.GO_YAML);

        private final Spelling spelling;

        Dialect(Spelling spelling) {
            this.spelling = spelling;
        }
    }

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final MapNode node;
    private final Problems problems;
    private final Dialect dialect;
    private final String query;
    private final String column;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private MapView(MapNode node, Problems problems, Dialect dialect, String query, String column) {
        this.node = node;
        this.problems = problems;
        this.dialect = dialect;
        this.query = query;
        this.column = column;
        for (Entry e : node.entries()) {
            entries.putIfAbsent(e.key(), e);
        }
    }

    /**
     * A view of a node that must be a map; a problem is reported and empty returned when it is not.
     *
     * @param what how to describe the expected map in the message, e.g. "the query"
     */
    static Optional<MapView> of(
            YamlNode node,
            Problems problems,
            Dialect dialect,
            String query,
            String column,
            String what,
            String example) {
        if (node instanceof MapNode map) {
            return Optional.of(new MapView(map, problems, dialect, query, column));
        }
        problems.error(
                node.location(),
                query,
                column,
                null,
                what + " must be a map of keys and values, but it is " + node.kind() + "; write it as " + example);
        return Optional.empty();
    }

    /** The same map, with the query and column that problems name from now on. */
    MapView in(String queryName, String columnName) {
        return new MapView(node, problems, dialect, queryName, columnName);
    }

    Location location() {
        return node.location();
    }

    List<Entry> entries() {
        return node.entries();
    }

    /** Reports repeated keys and keys not in {@code allowed} (errors or warnings, by dialect). */
    void checkKeys(Collection<String> allowed) {
        Map<String, Entry> first = new LinkedHashMap<>();
        for (Entry e : node.entries()) {
            Entry earlier = first.putIfAbsent(e.key(), e);
            if (earlier != null) {
                problems.error(
                        e.keyLocation(),
                        query,
                        column,
                        Messages.field(e.key()),
                        "the key " + Messages.key(e.key()) + " is written twice (first at line "
                                + earlier.keyLocation().line() + "); keep one");
            } else if (!allowed.contains(e.key())) {
                String message = "unknown key " + Messages.key(e.key()) + "." + Messages.didYouMean(e.key(), allowed)
                        + " The keys allowed here are: " + String.join(", ", allowed);
                if (dialect == Dialect.STRICT) {
                    problems.error(e.keyLocation(), query, column, Messages.field(e.key()), message);
                } else {
                    problems.warn(e.keyLocation(), query, column, Messages.field(e.key()), message + "; it is ignored");
                }
            }
        }
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Where the key's value is, for locating problems found later; empty when the key is absent. */
    Optional<Location> valueLocation(String key) {
        return entry(key).map(e -> e.value().location());
    }

    Optional<Location> keyLocation(String key) {
        return entry(key).map(Entry::keyLocation);
    }

    /** The value node, unless absent (or, in a foreign file, written without a value). */
    Optional<YamlNode> value(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.value() instanceof Scalar s && s.isNull()) {
            if (dialect == Dialect.STRICT) {
                problems.error(
                        e.keyLocation(), query, column, key, "'" + key + "' has no value; write one or remove the key");
            }
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /** Reports a missing key; returns true when it was missing. */
    boolean require(String key, String howToFix) {
        if (entries.containsKey(key)) {
            return false;
        }
        problems.error(node.location(), query, column, key, "the key '" + key + "' is missing; " + howToFix);
        return true;
    }

    Optional<String> text(String key) {
        return value(key).flatMap(v -> scalarText(key, v, "text"));
    }

    Optional<List<String>> textList(String key, String example) {
        return value(key).flatMap(v -> {
            if (!(v instanceof ListNode list)) {
                typeError(key, v, "a list of text", example);
                return Optional.empty();
            }
            List<String> out = new ArrayList<>();
            boolean ok = true;
            for (YamlNode item : list.items()) {
                Optional<String> t =
                        item instanceof Scalar s && s.isNull() ? nullItem(key, item) : scalarText(key, item, "text");
                ok &= t.isPresent();
                t.ifPresent(out::add);
            }
            return ok ? Optional.of(out) : Optional.empty();
        });
    }

    /** A map of text to text, in file order. */
    Optional<Map<String, String>> textMap(String key, String example) {
        return value(key).flatMap(v -> {
            if (!(v instanceof MapNode map)) {
                typeError(key, v, "a map", example);
                return Optional.empty();
            }
            Map<String, String> out = new LinkedHashMap<>();
            boolean ok = true;
            for (Entry e : map.entries()) {
                Optional<String> t = e.value() instanceof Scalar s && s.isNull()
                        ? nullItem(key, e.value())
                        : scalarText(key, e.value(), "text");
                ok &= t.isPresent() && noRepeat(key, out, e);
                t.ifPresent(value -> out.putIfAbsent(e.key(), value));
            }
            return ok ? Optional.of(out) : Optional.empty();
        });
    }

    /** A map of text to numbers, in file order. */
    Optional<Map<String, Double>> numberMap(String key, String example) {
        return value(key).flatMap(v -> {
            if (!(v instanceof MapNode map)) {
                typeError(key, v, "a map of text to numbers", example);
                return Optional.empty();
            }
            Map<String, Double> out = new LinkedHashMap<>();
            boolean ok = true;
            for (Entry e : map.entries()) {
                Optional<Double> n = number(key, e.value());
                ok &= n.isPresent() && noRepeat(key, out, e);
                n.ifPresent(value -> out.putIfAbsent(e.key(), value));
            }
            return ok ? Optional.of(out) : Optional.empty();
        });
    }

    Optional<Double> number(String key) {
        return value(key).flatMap(v -> number(key, v));
    }

    Optional<Integer> integer(String key) {
        return value(key).flatMap(v -> converted(key, () -> dialect.spelling.integer(v, key)));
    }

    Optional<Boolean> bool(String key) {
        return value(key).flatMap(v -> converted(key, () -> dialect.spelling.bool(v, key)));
    }

    Optional<Duration> duration(String key) {
        return value(key).flatMap(v -> converted(key, () -> dialect.spelling.duration(v, key)));
    }

    /** The value {@code read} gives, or empty and a problem with {@link Spelling}'s message. */
    private <T> Optional<T> converted(String key, Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (YamlException e) {
            problems.error(e.location(), query, column, key, e.problem());
            return Optional.empty();
        }
    }

    Optional<PgVersion> version(String key) {
        return value(key)
                .flatMap(v -> scalarText(key, v, "a PostgreSQL version").flatMap(t -> {
                    try {
                        return Optional.of(PgVersion.parse(t));
                    } catch (IllegalArgumentException e) {
                        problems.error(v.location(), query, column, key, e.getMessage());
                        return Optional.empty();
                    }
                }));
    }

    /** One of a fixed set of words, spelt exactly; a near miss gets a suggestion. */
    <E> Optional<E> choice(String key, Map<String, E> choices) {
        return value(key)
                .flatMap(v -> scalarText(key, v, "one of " + String.join(", ", choices.keySet()))
                        .flatMap(t -> {
                            E found = choices.get(t);
                            if (found != null) {
                                return Optional.of(found);
                            }
                            problems.error(v.location(), query, column, key, unknownChoice(key, t, choices.keySet()));
                            return Optional.empty();
                        }));
    }

    static String unknownChoice(String key, String text, Collection<String> choices) {
        String exactCase = choices.stream()
                .filter(c -> c.equalsIgnoreCase(text.trim()))
                .findFirst()
                .orElse(null);
        String hint = exactCase != null
                ? " Spelling is case-sensitive: write " + exactCase + "."
                : Messages.didYouMean(text, choices);
        return "unknown " + key + " '" + Messages.abbreviate(text) + "'." + hint + " Use one of: "
                + String.join(", ", choices);
    }

    Optional<ListNode> list(String key, String example) {
        return value(key).flatMap(v -> {
            if (v instanceof ListNode l) {
                return Optional.of(l);
            }
            typeError(key, v, "a list", example);
            return Optional.empty();
        });
    }

    Optional<MapNode> map(String key, String example) {
        return value(key).flatMap(v -> {
            if (v instanceof MapNode m) {
                return Optional.of(m);
            }
            typeError(key, v, "a map", example);
            return Optional.empty();
        });
    }

    private Optional<Double> number(String key, YamlNode v) {
        return scalarText(key, v, "a number").flatMap(t -> {
            Double d = parseNumber(t.trim());
            if (d == null) {
                typeError(key, v, "a number", "0.001");
            }
            return Optional.ofNullable(d);
        });
    }

    /** YAML's and Java's decimal spellings, and YAML's .nan / .inf; null when the text is no number. */
    static Double parseNumber(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case ".nan":
                return Double.NaN;
            case ".inf":
            case "+.inf":
                return Double.POSITIVE_INFINITY;
            case "-.inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (s.length() > 400 || !DECIMAL.matcher(s).matches()) {
            return null;
        }
        return Double.parseDouble(s);
    }

    private Optional<String> scalarText(String key, YamlNode v, String expected) {
        if (v instanceof Scalar s && !s.isNull()) {
            return Optional.of(s.text());
        }
        typeError(key, v, expected, null);
        return Optional.empty();
    }

    private Optional<String> nullItem(String key, YamlNode item) {
        problems.error(
                item.location(), query, column, key, "an entry of '" + key + "' has no value; write one or remove it");
        return Optional.empty();
    }

    private boolean noRepeat(String key, Map<String, ?> seen, Entry e) {
        if (seen.containsKey(e.key())) {
            problems.error(
                    e.keyLocation(),
                    query,
                    column,
                    key,
                    "the key " + Messages.key(e.key()) + " is written twice in '" + key + "'; keep one");
            return false;
        }
        return true;
    }

    private void typeError(String key, YamlNode v, String expected, String example) {
        problems.error(
                v.location(),
                query,
                column,
                key,
                "'" + key + "' must be " + expected + ", but it is " + v.kind()
                        + (example == null ? "" : "; e.g. " + key + ": " + example));
    }
}
