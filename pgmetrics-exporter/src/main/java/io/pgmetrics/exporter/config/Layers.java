package io.pgmetrics.exporter.config;

import io.pgmetrics.core.internal.yaml.Durations;
import io.pgmetrics.core.internal.yaml.Spelling;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.yaml.YamlException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves a {@link Setting} from its layers, highest first: command-line flag, environment
 * variable, our config file, default. Every parse error names the layer it came from (the flag,
 * the variable, or file:line:column and key) and what is expected.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Layers {

    /**
     * A setting's raw value and where it came from.
     *
     * @param node the value's node when it came from the config file, which {@link Spelling#PGMETRICS} reads
     */
    record Raw(
            List<String> values, Map<String, String> map, String source, Optional<YamlNode> node, boolean isDefault) {
        String last() {
            return values.isEmpty() ? "" : values.get(values.size() - 1);
        }

        boolean fromFile() {
            return node.isPresent();
        }
    }

    private final Map<String, List<String>> flags;
    private final Map<String, String> env;
    private final ConfigFile file;

    /**
     * @param flags values given on the command line, by flag name; booleans as "true"/"false"
     * @param env the process environment
     * @param file our config file, or {@link ConfigFile#NONE}
     */
    Layers(Map<String, List<String>> flags, Map<String, String> env, ConfigFile file) {
        this.flags = flags;
        this.env = env;
        this.file = file;
    }

    ConfigFile file() {
        return file;
    }

    Map<String, String> env() {
        return env;
    }

    /** Whether a layer above the default sets it. */
    boolean isSet(Setting s) throws ConfigException {
        return !raw(s).isDefault();
    }

    Raw raw(Setting s) throws ConfigException {
        List<String> given = flags.get(s.flag());
        if (given != null && !given.isEmpty()) {
            return new Raw(given, Map.of(), "flag " + s.flag(), Optional.empty(), false);
        }
        if (!s.env().isEmpty() && env.get(s.env()) != null && !env.get(s.env()).isEmpty()) {
            return new Raw(
                    List.of(env.get(s.env())), Map.of(), "environment variable " + s.env(), Optional.empty(), false);
        }
        try {
            Optional<YamlNode> node = fileNode(s);
            if (node.isPresent()) {
                YamlNode n = node.get();
                String source = n.location() + ": " + s.fileKey();
                return switch (s.kind()) {
                    case LIST, REPEATED -> new Raw(ConfigFile.texts(n, s.fileKey()), Map.of(), source, node, false);
                    case MAP -> new Raw(List.of(), n.asTextMap(s.fileKey()), source, node, false);
                    default -> new Raw(List.of(n.asText(s.fileKey())), Map.of(), source, node, false);
                };
            }
        } catch (YamlException e) {
            throw new ConfigException(e.getMessage());
        }
        return new Raw(
                s.defaultValue().isEmpty() && s.kind() != Setting.Kind.TEXT ? List.of() : List.of(s.defaultValue()),
                Map.of(),
                "default of " + s.flag(),
                Optional.empty(),
                true);
    }

    private Optional<YamlNode> fileNode(Setting s) {
        if (s.fileKey().isEmpty()) {
            return Optional.empty();
        }
        for (String section : List.of("collectors", "parameters")) {
            if (s.fileKey().startsWith(section + ".")) {
                return file.entry(section, s.fileKey().substring(section.length() + 1));
            }
        }
        return file.at(s.fileKey());
    }

    String text(Setting s) throws ConfigException {
        return raw(s).last();
    }

    Optional<Path> path(Setting s) throws ConfigException {
        Raw r = raw(s);
        String t = r.last();
        if (t.isBlank()) {
            return Optional.empty();
        }
        Path p = pathOf(t, r);
        return Optional.of(r.fromFile() && !p.isAbsolute() ? file.base().resolve(p) : p);
    }

    List<Path> paths(Setting s) throws ConfigException {
        Raw r = raw(s);
        List<Path> out = new ArrayList<>();
        for (String t : r.values()) {
            if (!t.isBlank()) {
                Path p = pathOf(t, r);
                out.add(r.fromFile() && !p.isAbsolute() ? file.base().resolve(p) : p);
            }
        }
        return out;
    }

    /** A path the operating system can take (no NUL, nothing the file system cannot encode), else a configuration error. */
    private static Path pathOf(String text, Raw r) throws ConfigException {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(r.source() + ": '" + text + "' is not a valid file path (" + e.getReason() + ")");
        }
    }

    /** In the config file as every YAML file pgmetrics reads; on the command line and in the environment as kingpin. */
    public boolean bool(Setting s) throws ConfigException {
        Raw r = raw(s);
        if (r.fromFile()) {
            return fromFile(() -> Spelling.PGMETRICS.bool(r.node().get(), s.fileKey()));
        }
        return parseBool(r.last(), r.source());
    }

    static boolean parseBool(String text, String source) throws ConfigException {
        // the spellings Go's strconv.ParseBool accepts, which kingpin uses for flags and variables (and "yes", "on")
        return switch (text.strip()) {
            case "1", "t", "T", "true", "TRUE", "True", "yes", "on" -> true;
            case "0", "f", "F", "false", "FALSE", "False", "no", "off", "" -> false;
            default -> throw new ConfigException(source + ": expected true or false, got '" + text + "'");
        };
    }

    Duration duration(Setting s, Duration min) throws ConfigException {
        Raw r = raw(s);
        if (r.fromFile()) {
            return atLeast(fromFile(() -> Spelling.PGMETRICS.duration(r.node().get(), s.fileKey())), r, min);
        }
        return duration(r.last(), r.source(), min);
    }

    /** A duration of at least {@code min}: Go's syntax, and d and w as Prometheus writes them. */
    static Duration duration(String text, String source, Duration min) throws ConfigException {
        Duration d;
        try {
            d = Durations.parseWithDays(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        return atLeast(d, text, source, min);
    }

    private static Duration atLeast(Duration d, Raw r, Duration min) throws ConfigException {
        return atLeast(d, r.last(), r.source(), min);
    }

    /** {@code d}, unless it is shorter than {@code min}: then an error quoting {@code text} from {@code source}. */
    static Duration atLeast(Duration d, String text, String source, Duration min) throws ConfigException {
        if (d.compareTo(min) < 0) {
            throw new ConfigException(
                    source + ": '" + text + "' is too short; expected at least " + Durations.format(min));
        }
        return d;
    }

    int integer(Setting s, int min) throws ConfigException {
        Raw r = raw(s);
        if (r.fromFile()) {
            int v = fromFile(() -> Spelling.PGMETRICS.integer(r.node().get(), s.fileKey()));
            if (v >= min) {
                return v;
            }
        } else {
            try {
                int v = Integer.parseInt(r.last().strip());
                if (v >= min) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new ConfigException(
                r.source() + ": expected a whole number of at least " + min + ", got '" + r.last() + "'");
    }

    /** A value the config file's node gives; its mistake is a configuration error with the node's location. */
    private static <T> T fromFile(Supplier<T> read) throws ConfigException {
        try {
            return read.get();
        } catch (YamlException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Comma-separated on flags and variables (a repeated flag adds to the list), a YAML list in the file. */
    List<String> list(Setting s) throws ConfigException {
        Raw r = raw(s);
        List<String> out = new ArrayList<>();
        for (String v : r.values()) {
            for (String part : r.fromFile() ? List.of(v) : List.of(v.split(","))) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    List<String> repeated(Setting s) throws ConfigException {
        return raw(s).values();
    }

    /**
     * {@code name=value,name2=value2} (as postgres_exporter's --constantLabels) or a YAML map. A pair
     * without '=' or with an empty name is an error here (upstream skips it with a log line).
     */
    Map<String, String> map(Setting s) throws ConfigException {
        Raw r = raw(s);
        Map<String, String> out = new LinkedHashMap<>(r.map());
        for (String v : r.values()) {
            for (String pair : v.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(
                            r.source() + ": '" + pair.strip() + "' is not name=value; write it like env=prod,team=db");
                }
                out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        for (String name : out.keySet()) {
            if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*") || name.startsWith("__")) {
                throw new ConfigException(
                        r.source() + ": '" + name + "' is not a valid label name; use letters, digits and _");
            }
        }
        return out;
    }

    /** One of a fixed set of words, case-insensitive. */
    String choice(Setting s, List<String> allowed) throws ConfigException {
        Raw r = raw(s);
        String v = r.last().strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new ConfigException(
                    r.source() + ": '" + r.last() + "' is not allowed; expected one of " + String.join(", ", allowed));
        }
        return v;
    }
}
