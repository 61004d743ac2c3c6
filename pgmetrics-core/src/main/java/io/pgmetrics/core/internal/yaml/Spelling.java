package io.pgmetrics.core.internal.yaml;

import io.pgmetrics.core.internal.yaml.YamlNode.Scalar;
import io.pgmetrics.core.yaml.YamlException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How the values of one file format are spelt, and the one place a YAML scalar becomes a boolean, a
 * whole number or a duration. Every reader (catalogs, postgres_exporter's and CloudNativePG's query
 * files, the web config, the exporter's config file) converts through here, so a mistake gets the same
 * message wherever it is made: {@code file:line:column: key must be true or false, but it is text}.
 * The message names the kind of value found, never the value (which may be a secret), except that a
 * duration's own message quotes the text it could not read.
 *
 * <p>Booleans are Go's yaml words in both formats (yaml.v2, and yaml.v3 reading into a bool, take
 * the same 22), so a value means the same in every file pgmetrics reads. Whole numbers are decimal.
 * The formats differ in durations: Go's {@code time.ParseDuration} in Go's files, and also {@code d}
 * and {@code w} (as Prometheus writes them) in ours. The table is in the exporter's README ("Values in YAML files").
 */
public enum Spelling {
    /** Files of Go programs read as they read them: queries.yaml, CloudNativePG's queries, the web config. */
    GO_YAML(Durations::parse),
    /** pgmetrics' own files: the catalog format and the exporter's {@code --pgmetrics.config}. */
    PGMETRICS(Durations::parseWithDays);

    /** The words Go's yaml reads as true into a bool. */
    public static final Set<String> TRUE =
            Set.of("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y");
    /** The words Go's yaml reads as false into a bool. */
    public static final Set<String> FALSE =
            Set.of("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N");

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d{1,200}");

    private final Function<String, Duration> durations;

    Spelling(Function<String, Duration> durations) {
        this.durations = durations;
    }

    /**
     * @param key names the value in the message, e.g. {@code http_server_config.http2}
     * @throws YamlException when the node is not one of {@link #TRUE} or {@link #FALSE}
     */
    public boolean bool(YamlNode node, String key) {
        String text = scalar(node).strip();
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw expected(node, key, "true or false");
    }

    /** @throws YamlException when the node is not a whole number that fits an int */
    public int integer(YamlNode node, String key) {
        String text = scalar(node).strip();
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            throw expected(node, key, "a whole number");
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new YamlException(
                    node.location(),
                    key + " is out of range; write a whole number from " + Integer.MIN_VALUE + " to "
                            + Integer.MAX_VALUE);
        }
    }

    /** @throws YamlException when the node is not a duration of this format ({@code 30s}, {@code 1m30s} …) */
    public Duration duration(YamlNode node, String key) {
        if (!(node instanceof Scalar s) || s.isNull()) {
            throw expected(node, key, "a duration");
        }
        try {
            return durations.apply(scalar(node));
        } catch (IllegalArgumentException e) {
            throw new YamlException(node.location(), key + ": " + e.getMessage());
        }
    }

    /** The text of a scalar that is not null, else "" (which no conversion accepts). */
    private static String scalar(YamlNode node) {
        return node instanceof Scalar s && !s.isNull() ? s.text() : "";
    }

    private static YamlException expected(YamlNode node, String key, String what) {
        return new YamlException(node.location(), key + " must be " + what + ", but it is " + node.typeName());
    }
}
