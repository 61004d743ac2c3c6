package io.pgmetrics.exporter.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small located YAML tree: every key and value remembers its line and column, so the parser can say
 * {@code web.yml:3:5: unknown key}. Jackson's streaming parser does the YAML work.
 */
final class WebYaml {

    private static final int MAX_DEPTH = 16;
    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** Where something was written, printed as {@code file:line:column}. */
    record Where(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    sealed interface Node {
        Where where();

        /** For messages: "text", "a number", "a list" ... (never the value itself, which may be a secret). */
        String kind();
    }

    enum ScalarType { TEXT, NUMBER, BOOLEAN, NULL }

    record Scalar(String text, ScalarType type, Where where) implements Node {
        boolean isNull() {
            return type == ScalarType.NULL;
        }

        @Override
        public String kind() {
            return switch (type) {
                case TEXT -> "text";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing";
            };
        }
    }

    record Entry(String key, Where keyWhere, Node value) {}

    record MapNode(List<Entry> entries, Where where) implements Node {
        @Override
        public String kind() {
            return "a map";
        }
    }

    record ListNode(List<Node> items, Where where) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    private final String file;
    private final JsonParser parser;

    private WebYaml(String file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** The document's root; an empty document is a null scalar. */
    static Node parse(String text, String file) throws WebConfigException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            WebYaml yaml = new WebYaml(file, parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Scalar("", ScalarType.NULL, new Where(file, 1, 1));
            }
            Node root = yaml.node(first, 0);
            if (parser.nextToken() != null) {
                throw new WebConfigException(yaml.here() + ": the file holds a second YAML document ('---'); keep everything in one");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new WebConfigException(syntaxError(e, file));
        } catch (IOException | RuntimeException e) {
            throw new WebConfigException(file + ": cannot parse the YAML (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Node node(JsonToken token, int depth) throws IOException, WebConfigException {
        Where where = here();
        if (depth > MAX_DEPTH) {
            throw new WebConfigException(where + ": the YAML is nested too deeply for a web configuration");
        }
        return switch (token) {
            case START_OBJECT -> map(where, depth);
            case START_ARRAY -> list(where, depth);
            case VALUE_STRING -> new Scalar(parser.getText(), ScalarType.TEXT, where);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Scalar(parser.getText(), ScalarType.NUMBER, where);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(parser.getText(), ScalarType.BOOLEAN, where);
            case VALUE_NULL -> new Scalar("", ScalarType.NULL, where);
            default -> throw new WebConfigException(where + ": unsupported YAML value; write text, numbers, lists and maps");
        };
    }

    private MapNode map(Where where, int depth) throws IOException, WebConfigException {
        List<Entry> entries = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Where keyWhere = here();
            entries.add(new Entry(key, keyWhere, node(parser.nextToken(), depth + 1)));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new WebConfigException(here() + ": the YAML ends inside a map");
        }
        return new MapNode(List.copyOf(entries), where);
    }

    private ListNode list(Where where, int depth) throws IOException, WebConfigException {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new WebConfigException(here() + ": the YAML ends inside a list");
            }
            items.add(node(token, depth + 1));
        }
        return new ListNode(List.copyOf(items), where);
    }

    private Where here() {
        JsonLocation l = parser.currentTokenLocation();
        return new Where(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    /**
     * SnakeYAML's own problem and mark when it has them; the message is the parser's description of the
     * syntax (never a quote of the file, which could hold a secret).
     */
    private static String syntaxError(JsonProcessingException e, String file) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
                var mark = marked.getProblemMark();
                return new Where(file, mark.getLine() + 1, mark.getColumn() + 1) + ": YAML syntax error: " + marked.getProblem()
                        + "; check the indentation and quoting here";
            }
        }
        JsonLocation l = e.getLocation();
        Where where = l == null ? new Where(file, 1, 1) : new Where(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        return where + ": YAML syntax error; check the indentation and quoting here";
    }
}
