package io.pgmetrics.exporter.config;

import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlNode.ListNode;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.internal.yaml.YamlTree;
import io.pgmetrics.core.yaml.Location;
import io.pgmetrics.core.yaml.YamlException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * pgmetrics' own configuration file ({@code --pgmetrics.config}): every setting of the exporter in
 * one YAML document, so a deployment can be one file plus a Secret. Flags and environment variables
 * win over it. Unknown keys are errors with their line; relative paths are relative to the file.
 * The keys are documented in the module README.
 */
final class ConfigFile {

    static final ConfigFile NONE = new ConfigFile(null, new MapNode(List.of(), Location.of("-")));

    private static final Map<String, Set<String>> SECTIONS = Map.of(
            "",
                    Set.of(
                            "targets",
                            "naming_profile",
                            "collectors",
                            "parameters",
                            "queries",
                            "disable_default_metrics",
                            "metric_prefix",
                            "constant_labels",
                            "databases",
                            "timeouts",
                            "connections",
                            "limits",
                            "web",
                            "probe",
                            "auth_modules_file",
                            "auth_modules",
                            "log"),
            "queries", Set.of("legacy", "catalog", "cnpg"),
            "databases", Set.of("auto_discover", "include", "exclude"),
            "timeouts", Set.of("collection", "query", "scrape_default"),
            "connections", Set.of("max_per_target", "login_check_interval", "database_refresh_interval"),
            "limits", Set.of("max_series", "max_rows"),
            "web",
                    Set.of(
                            "listen_addresses",
                            "telemetry_path",
                            "config_file",
                            "enable_reload",
                            "max_connections",
                            "read_timeout"),
            "probe", Set.of("enabled", "allowed_targets", "cache_size", "cache_ttl", "max_connections", "idle_timeout"),
            "log", Set.of("level", "format"));

    private final Path file;
    private final MapNode root;

    private ConfigFile(Path file, MapNode root) {
        this.file = file;
        this.root = root;
    }

    /** @throws YamlException when the file cannot be read, is not YAML, or has a key we do not know */
    static ConfigFile load(Path file) {
        MapNode root = YamlTree.read(file).asMap("the file");
        root.checkKeys(SECTIONS.get(""), "the file");
        for (var section : SECTIONS.entrySet()) {
            if (!section.getKey().isEmpty()) {
                root.get(section.getKey())
                        .ifPresent(n -> n.asMap(section.getKey()).checkKeys(section.getValue(), section.getKey()));
            }
        }
        return new ConfigFile(file, root);
    }

    boolean present() {
        return file != null;
    }

    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The directory relative paths in the file are resolved against. */
    Path base() {
        Path parent = file == null ? null : file.toAbsolutePath().getParent();
        return parent == null ? Path.of("") : parent;
    }

    /** The node at a dotted key such as {@code timeouts.collection}. */
    Optional<YamlNode> at(String key) {
        YamlNode node = root;
        for (String part : key.split("\\.")) {
            if (!(node instanceof MapNode m) || m.get(part).isEmpty()) {
                return Optional.empty();
            }
            node = m.get(part).get();
        }
        return Optional.of(node);
    }

    /** A key directly under a free-form section ({@code parameters}, {@code collectors}), whose names may contain dots. */
    Optional<YamlNode> entry(String section, String name) {
        return at(section).flatMap(s -> s.asMap(section).get(name));
    }

    /** Every key of a free-form section, with where it is; a key written twice is an error. */
    Map<String, Location> keys(String section) {
        Map<String, Location> out = new LinkedHashMap<>();
        at(section).ifPresent(s -> s.asMap(section).toMap(section).forEach((key, e) -> out.put(key, e.keyLocation())));
        return out;
    }

    /** A list's items; a single value is a list of one (as a flag takes one value), nothing an empty list. */
    static List<YamlNode> items(YamlNode node) {
        return node instanceof ListNode list ? list.items() : node.isNull() ? List.of() : List.of(node);
    }

    /** The texts of {@link #items}. */
    static List<String> texts(YamlNode node, String key) {
        return items(node).stream().map(item -> item.asText(key)).toList();
    }

    /** A file path; a relative one is relative to {@code base}, the directory of the file that names it. */
    static Path path(YamlNode node, String key, Path base) {
        String text = node.asText(key);
        if (text.isBlank()) {
            throw new YamlException(node.location(), key + ": expected a file path");
        }
        Path p;
        try {
            p = Path.of(text);
        } catch (InvalidPathException e) {
            throw new YamlException(
                    node.location(), key + ": '" + text + "' is not a valid file path (" + e.getReason() + ")");
        }
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }
}
