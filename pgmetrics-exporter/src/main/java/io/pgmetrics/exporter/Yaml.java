package io.pgmetrics.exporter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed reads from a {@link YamlTree} whose errors name file, line, column, key and what is expected. */
final class Yaml {

    private Yaml() {}

    static YamlTree.MapNode map(YamlTree.Node n, String key) throws ConfigException {
        if (n instanceof YamlTree.MapNode m) {
            return m;
        }
        if (n instanceof YamlTree.Scalar s && s.text() == null) {
            return new YamlTree.MapNode(Map.of(), Map.of(), n.where());
        }
        throw new ConfigException(n.where() + ": " + key + ": expected a map of key: value");
    }

    static void onlyKeys(YamlTree.MapNode m, Set<String> allowed, String prefix) throws ConfigException {
        for (var e : m.keys().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new ConfigException(e.getValue() + ": unknown key '" + prefix + e.getKey() + "'; expected one of "
                        + new java.util.TreeSet<>(allowed));
            }
        }
    }

    static String text(YamlTree.Node n, String key) throws ConfigException {
        if (n instanceof YamlTree.Scalar s) {
            return s.text() == null ? "" : s.text();
        }
        throw new ConfigException(n.where() + ": " + key + ": expected a single value, not a list or map");
    }

    static java.util.Optional<String> optText(YamlTree.MapNode m, String key, String name) throws ConfigException {
        java.util.Optional<YamlTree.Node> n = m.get(key);
        return n.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(text(n.get(), name));
    }

    static boolean bool(YamlTree.Node n, String key) throws ConfigException {
        String t = text(n, key);
        return switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(n.where() + ": " + key + ": expected true or false, got '" + t + "'");
        };
    }

    static int integer(YamlTree.Node n, String key, int min) throws ConfigException {
        String t = text(n, key);
        try {
            int v = Integer.parseInt(t.strip());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(n.where() + ": " + key + ": expected a whole number of at least " + min + ", got '" + t + "'");
    }

    static Duration duration(YamlTree.Node n, String key) throws ConfigException {
        try {
            return Durations.parse(text(n, key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(n.where() + ": " + key + ": " + e.getMessage());
        }
    }

    static Path path(YamlTree.Node n, String key, Path base) throws ConfigException {
        String t = text(n, key);
        if (t.isBlank()) {
            throw new ConfigException(n.where() + ": " + key + ": expected a file path");
        }
        Path p;
        try {
            p = Path.of(t);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(n.where() + ": " + key + ": '" + t + "' is not a valid file path (" + e.getReason() + ")");
        }
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }

    /** A list of values; a single value is a one-element list. */
    static List<YamlTree.Node> list(YamlTree.Node n) {
        if (n instanceof YamlTree.ListNode l) {
            return l.items();
        }
        if (n instanceof YamlTree.Scalar s && s.text() == null) {
            return List.of();
        }
        return List.of(n);
    }

    static List<String> strings(YamlTree.Node n, String key) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (YamlTree.Node item : list(n)) {
            out.add(text(item, key));
        }
        return out;
    }

    static Map<String, String> stringMap(YamlTree.Node n, String key) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : map(n, key).entries().entrySet()) {
            out.put(e.getKey(), text(e.getValue(), key + "." + e.getKey()));
        }
        return out;
    }
}
