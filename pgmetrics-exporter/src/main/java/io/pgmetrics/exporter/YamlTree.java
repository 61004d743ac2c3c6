package io.pgmetrics.exporter;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML document as maps, lists and scalars that remember their line and column, so that every
 * mistake in a configuration file can be reported as {@code file:line:column}. Duplicate keys are
 * errors (YAML libraries usually keep the last one silently).
 */
final class YamlTree {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {}

    /** Where a node starts, for messages. */
    record Where(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    sealed interface Node permits MapNode, ListNode, Scalar {
        Where where();
    }

    record MapNode(Map<String, Node> entries, Map<String, Where> keys, Where where) implements Node {
        Optional<Node> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }
    }

    record ListNode(List<Node> items, Where where) implements Node {}

    /** A scalar; {@code text} is null for YAML null ({@code ~}, empty). */
    record Scalar(String text, Where where) implements Node {}

    static Node read(Path file) throws ConfigException {
        try (Reader r = Files.newBufferedReader(file)) {
            return read(r, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    static Node read(Reader reader, String name) throws ConfigException {
        try (JsonParser p = FACTORY.createParser(reader)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new MapNode(Map.of(), Map.of(), new Where(name, 1, 1)); // an empty file is an empty map
            }
            return node(p, name);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String at = l == null ? name : name + ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new ConfigException(at + ": not valid YAML: " + syntaxMessage(e));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * What is wrong, in words: not a class name, and never SnakeYAML's description of the node it
     * found, which may quote the file's text (a password).
     */
    static String syntaxMessage(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.charset.CharacterCodingException) {
                return "the file is not UTF-8 text";
            }
        }
        String m = e.getOriginalMessage() == null ? "malformed YAML" : e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
        int event = m.indexOf("org.yaml.snakeyaml.events.");
        if (event >= 0) {
            String kind = m.substring(event + "org.yaml.snakeyaml.events.".length()).replaceAll("Event.*", "");
            int cut = m.lastIndexOf('<', event);
            m = m.substring(0, cut < 0 ? event : cut) + switch (kind) {
                case "SequenceStart" -> "a list";
                case "MappingStart" -> "a map";
                case "Scalar" -> "a value";
                case "Alias" -> "an alias";
                default -> "something else";
            };
        }
        return m;
    }

    private static Node node(JsonParser p, String name) throws IOException, ConfigException {
        Where where = where(p, name);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Where> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Where keyWhere = where(p, name);
                    if (entries.containsKey(key)) {
                        throw new ConfigException(keyWhere + ": key '" + key + "' appears twice (first at line "
                                + keys.get(key).line() + ")");
                    }
                    p.nextToken();
                    keys.put(key, keyWhere);
                    entries.put(key, node(p, name));
                }
                return new MapNode(entries, keys, where);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, name));
                }
                return new ListNode(items, where);
            }
            case VALUE_NULL:
                return new Scalar(null, where);
            default:
                return new Scalar(p.getText(), where);
        }
    }

    private static Where where(JsonParser p, String name) {
        JsonLocation l = p.currentTokenLocation();
        return new Where(name, l.getLineNr(), l.getColumnNr());
    }
}
