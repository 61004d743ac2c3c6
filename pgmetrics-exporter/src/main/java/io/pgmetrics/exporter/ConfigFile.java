package io.pgmetrics.exporter;

import java.nio.file.Path;
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

    static final ConfigFile NONE = new ConfigFile(null, new YamlTree.MapNode(Map.of(), Map.of(), new YamlTree.Where("-", 0, 0)));

    private static final Map<String, Set<String>> SECTIONS = Map.of(
            "", Set.of("targets", "naming_profile", "collectors", "parameters", "queries", "disable_default_metrics",
                    "metric_prefix", "constant_labels", "databases", "timeouts", "connections", "limits", "web", "probe",
                    "auth_modules_file", "auth_modules", "log"),
            "queries", Set.of("legacy", "catalog", "cnpg"),
            "databases", Set.of("auto_discover", "include", "exclude"),
            "timeouts", Set.of("collection", "query", "scrape_default"),
            "connections", Set.of("max_per_target"),
            "limits", Set.of("max_series", "max_rows"),
            "web", Set.of("listen_addresses", "telemetry_path", "config_file", "enable_reload"),
            "probe", Set.of("allowed_targets", "cache_size", "cache_ttl"),
            "log", Set.of("level", "format"));

    private final Path file;
    private final YamlTree.MapNode root;

    private ConfigFile(Path file, YamlTree.MapNode root) {
        this.file = file;
        this.root = root;
    }

    static ConfigFile load(Path file) throws ConfigException {
        YamlTree.MapNode root = Yaml.map(YamlTree.read(file), "the file");
        Yaml.onlyKeys(root, SECTIONS.get(""), "");
        for (var section : SECTIONS.entrySet()) {
            if (section.getKey().isEmpty() || root.get(section.getKey()).isEmpty()) {
                continue;
            }
            Yaml.onlyKeys(Yaml.map(root.get(section.getKey()).get(), section.getKey()), section.getValue(), section.getKey() + ".");
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
    Optional<YamlTree.Node> at(String key) {
        YamlTree.Node node = root;
        for (String part : key.split("\\.")) {
            if (!(node instanceof YamlTree.MapNode m) || m.get(part).isEmpty()) {
                return Optional.empty();
            }
            node = m.get(part).get();
        }
        return Optional.of(node);
    }

    /** A key directly under a free-form section ({@code parameters}, {@code collectors}), whose names may contain dots. */
    Optional<YamlTree.Node> entry(String section, String name) throws ConfigException {
        Optional<YamlTree.Node> s = at(section);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        return Yaml.map(s.get(), section).get(name);
    }

    /** Every key of a free-form section, with where it is. */
    Map<String, YamlTree.Where> keys(String section) throws ConfigException {
        Optional<YamlTree.Node> s = at(section);
        return s.isEmpty() ? Map.of() : Yaml.map(s.get(), section).keys();
    }
}
