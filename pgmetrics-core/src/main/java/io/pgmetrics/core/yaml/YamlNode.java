package io.pgmetrics.core.yaml;

import java.util.List;

/**
 * A parsed YAML value that remembers where it was written, so every problem can point at a line and column.
 * The loaders read these nodes instead of binding to classes, which lets them report every problem of a file.
 */
sealed interface YamlNode {

    Location location();

    /** What the node is, for messages: "text", "a number", "a list", "a map", "nothing". */
    String kind();

    /**
     * A scalar: its text as written (numbers keep their spelling, so "16.10" stays "16.10").
     *
     * @param type how YAML resolved the plain scalar; loaders read the text and decide themselves
     */
    record Scalar(String text, ScalarType type, Location location) implements YamlNode {
        boolean isNull() {
            return type == ScalarType.NULL;
        }

        @Override
        public String kind() {
            return switch (type) {
                case NULL -> "nothing";
                case NUMBER -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case TEXT -> "the text '" + Messages.abbreviate(text) + "'";
            };
        }
    }

    enum ScalarType { TEXT, NUMBER, BOOLEAN, NULL }

    /** A map, entries in file order; a repeated key is kept so the loader can report it. */
    record MapNode(List<Entry> entries, Location location) implements YamlNode {
        @Override
        public String kind() {
            return "a map";
        }
    }

    record Entry(String key, Location keyLocation, YamlNode value) {}

    record ListNode(List<YamlNode> items, Location location) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }
}
