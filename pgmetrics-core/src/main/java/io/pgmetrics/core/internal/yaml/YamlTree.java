package io.pgmetrics.core.internal.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.pgmetrics.core.internal.yaml.YamlNode.Entry;
import io.pgmetrics.core.internal.yaml.YamlNode.ListNode;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.internal.yaml.YamlNode.Scalar;
import io.pgmetrics.core.internal.yaml.YamlNode.ScalarType;
import io.pgmetrics.core.yaml.Location;
import io.pgmetrics.core.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses YAML text into {@link YamlNode}s with Jackson's streaming parser, keeping the line and column of
 * every key and value. Aliases of anchored lists and maps are resolved (to the same node, so an alias bomb
 * costs nothing); anchors on single values are not visible through Jackson and are reported, and merge keys
 * ({@code <<}) are read as an ordinary key (which a reader then reports as unknown). A repeated key is kept
 * in its map for the reader to report. Every failure is a {@link YamlException} naming the line and column.
 *
 * <pre>{@code
 * YamlNode.MapNode root = YamlTree.read(Path.of("web.yml")).asMap("the file");
 * root.checkKeys(Set.of("tls_server_config", "basic_auth_users"), "the file");
 * int burst = root.get("burst").map(n -> Spelling.GO_YAML.integer(n, "burst")).orElse(10);
 * }</pre>
 */
public final class YamlTree {

    /** Deeper than any catalog needs; the YAML parser has its own, similar limit. */
    private static final int MAX_DEPTH = 64;

    /** Thread-safe once configured; holds no state between parses. */
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String source;
    private final JsonParser parser;
    private final Map<String, YamlNode> anchors = new HashMap<>();

    private YamlTree(String source, JsonParser parser) {
        this.source = source;
        this.parser = parser;
    }

    /**
     * Reads a UTF-8 file (a byte-order mark is skipped) and parses it as by {@link #parse}; the file's path
     * names it in messages.
     *
     * @throws YamlException when the file is missing, unreadable, not UTF-8 or not valid YAML
     */
    public static YamlNode read(Path file) {
        SourceText source = SourceText.read(file);
        return parse(source.text(), source.name());
    }

    /**
     * The root node of a single-document YAML text; an empty text gives a null scalar at 1:1.
     *
     * @param source how messages name the text, e.g. its file name
     * @throws YamlException for a syntax error, naming the line and column
     */
    public static YamlNode parse(String text, String source) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            YamlTree tree = new YamlTree(source, parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Scalar("", ScalarType.NULL, new Location(source, 1, 1));
            }
            YamlNode root = tree.node(first, 0);
            if (parser.nextToken() != null) {
                throw new YamlException(
                        tree.here(),
                        "the file holds a second YAML document (a second '---'),"
                                + " and more than one YAML document is not read; put everything in one");
            }
            return root;
        } catch (YamlException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        } catch (IOException | RuntimeException e) {
            // Jackson and SnakeYAML throw a few unchecked types for malformed input (e.g. limits exceeded)
            throw new YamlException(
                    Location.of(source),
                    "cannot parse the YAML: " + Messages.abbreviate(String.valueOf(e.getMessage())));
        }
    }

    private YamlNode node(JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new YamlException(
                    here(),
                    "the YAML is nested more than " + MAX_DEPTH + " levels deep; no configuration needs that many");
        }
        Location location = here();
        String anchor = parser.getObjectId() instanceof String s ? s : null;
        YamlNode node = switch (token) {
            case START_OBJECT -> map(location, depth);
            case START_ARRAY -> list(location, depth);
            case VALUE_STRING ->
                parser instanceof YAMLParser yp && yp.isCurrentAlias()
                        ? alias(parser.getText(), location)
                        : new Scalar(parser.getText(), ScalarType.TEXT, location);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Scalar(parser.getText(), ScalarType.NUMBER, location);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(parser.getText(), ScalarType.BOOLEAN, location);
            case VALUE_NULL -> new Scalar(Optional.ofNullable(parser.getText()).orElse(""), ScalarType.NULL, location);
            default ->
                throw new YamlException(
                        location, "unsupported YAML value (" + token + "); write plain text, numbers, lists and maps");
        };
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private MapNode map(Location location, int depth) throws IOException {
        List<Entry> entries = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyLocation = here();
            YamlNode value = node(parser.nextToken(), depth + 1);
            entries.add(new Entry(key, keyLocation, value));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new YamlException(here(), "the YAML ends inside a map");
        }
        return new MapNode(List.copyOf(entries), location);
    }

    private ListNode list(Location location, int depth) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new YamlException(here(), "the YAML ends inside a list");
            }
            items.add(node(token, depth + 1));
        }
        return new ListNode(List.copyOf(items), location);
    }

    private YamlNode alias(String name, Location location) {
        YamlNode target = anchors.get(name);
        if (target == null) {
            throw new YamlException(
                    location,
                    "alias *" + name + " refers to no list or map anchored &" + name + " before it;"
                            + " anchors work on lists and maps only (not on single values, which the YAML parser does not expose), so repeat the value");
        }
        return target;
    }

    private Location here() {
        JsonLocation l = parser.currentTokenLocation();
        return new Location(source, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    /**
     * A syntax error at SnakeYAML's own mark when there is one (it is the most precise), in words: no class
     * name, and never SnakeYAML's quote of the node it found (it may be a password).
     */
    private static YamlException syntaxError(JsonProcessingException e, String source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
                var mark = marked.getProblemMark();
                String context = marked.getContext() == null
                        ? ""
                        : " (" + marked.getContext()
                                + (marked.getContextMark() != null
                                        ? " that starts at line "
                                                + (marked.getContextMark().getLine() + 1)
                                        : "")
                                + ")";
                return new YamlException(
                        new Location(source, mark.getLine() + 1, mark.getColumn() + 1),
                        "YAML syntax error: " + marked.getProblem() + context
                                + "; check the indentation and quoting here");
            }
        }
        JsonLocation l = e.getLocation();
        Location at = l == null
                ? new Location(source, 1, 1)
                : new Location(source, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        String message = e.getOriginalMessage() == null
                ? "malformed YAML"
                : e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
        int event = message.indexOf("org.yaml.snakeyaml.events.");
        if (event >= 0) { // SnakeYAML's event text: a class name, and a quote of the file; say what kind of node it is
            String kind = message.substring(event + "org.yaml.snakeyaml.events.".length())
                    .replaceAll("Event.*", "");
            int cut = message.lastIndexOf('<', event);
            message = message.substring(0, cut < 0 ? event : cut)
                    + switch (kind) {
                        case "SequenceStart" -> "a list";
                        case "MappingStart" -> "a map";
                        case "Scalar" -> "a value";
                        case "Alias" -> "an alias";
                        default -> "something else";
                    };
        }
        return new YamlException(at, "YAML syntax error: " + message + "; check the indentation and quoting here");
    }
}
