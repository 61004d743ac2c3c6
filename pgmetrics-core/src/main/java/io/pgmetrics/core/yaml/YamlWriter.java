package io.pgmetrics.core.yaml;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small YAML emitter for the catalog's shape: maps, lists and scalars in block style, multi-line text as
 * literal blocks where that is exact, everything else plainly or double-quoted. Written by hand so that every
 * string the model may hold comes back unchanged, and the output reads like a file a person wrote.
 *
 * <p>Values: {@link String} (text, quoted as needed), {@link Raw} (written as is: numbers, versions,
 * durations, enum words), {@link List} and {@link Map} (insertion order kept).
 */
final class YamlWriter {

    /** A scalar written exactly as given (the caller knows it is plain and reads back as intended). */
    record Raw(String text) {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_ .,()/+*=<>'%;\\-]*");
    private static final int MAX_IMPLICIT_KEY = 1000;
    private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null");

    private final StringBuilder out = new StringBuilder();

    private YamlWriter() {}

    static String write(Map<String, ?> document) {
        YamlWriter w = new YamlWriter();
        w.map(document, 0, false);
        return w.out.toString();
    }

    private void map(Map<String, ?> map, int indent, boolean continuesLine) {
        boolean first = true;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!(first && continuesLine)) {
                out.append(" ".repeat(indent));
            }
            first = false;
            String key = inline(e.getKey());
            if (key.length() > MAX_IMPLICIT_KEY) {
                // YAML limits a plain "key:" to 1024 characters; longer keys take the explicit "? key" form
                out.append("? ")
                        .append(key)
                        .append('\n')
                        .append(" ".repeat(indent))
                        .append(':');
            } else {
                out.append(key).append(':');
            }
            value(e.getValue(), indent);
        }
    }

    /** The value of a key at {@code indent}, starting right after the colon. */
    private void value(Object value, int indent) {
        if (value instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append(" {}\n");
            } else {
                out.append('\n');
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) m;
                map(typed, indent + 2, false);
            }
        } else if (value instanceof List<?> l) {
            if (l.isEmpty()) {
                out.append(" []\n");
            } else {
                out.append('\n');
                for (Object item : l) {
                    out.append(" ".repeat(indent + 2)).append("- ");
                    if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                        @SuppressWarnings("unchecked")
                        Map<String, ?> typed = (Map<String, ?>) m;
                        map(typed, indent + 4, true);
                    } else {
                        out.setLength(out.length() - 1); // value() starts with its own space
                        value(item, indent + 2);
                    }
                }
            }
        } else if (value instanceof Raw r) {
            out.append(' ').append(r.text()).append('\n');
        } else {
            String s = (String) value;
            if (literalBlockFits(s)) {
                out.append(s.endsWith("\n") ? " |\n" : " |-\n");
                String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
                for (String line : body.split("\n", -1)) {
                    out.append(line.isEmpty() ? "" : " ".repeat(indent + 2) + line)
                            .append('\n');
                }
            } else {
                out.append(' ').append(inline(s)).append('\n');
            }
        }
    }

    /** A scalar on one line: plain when it cannot be mistaken for anything else, double-quoted otherwise. */
    static String inline(String s) {
        if (PLAIN.matcher(s).matches() && !s.endsWith(" ") && !RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
            return s;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (printable(c)) {
                        sb.append(c);
                    } else {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Multi-line text that a literal block keeps exactly: printable characters only, no tabs or carriage
     * returns, no line ending in a space or made only of spaces, a first line that does not start with a
     * space, and at most one final line break.
     */
    private static boolean literalBlockFits(String s) {
        int newline = s.indexOf('\n');
        if (newline < 0 || newline == s.length() - 1 || s.endsWith("\n\n") || s.startsWith(" ") || s.startsWith("\n")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                if (i > 0 && s.charAt(i - 1) == ' ') {
                    return false;
                }
            } else if (!printable(c) || c == '\t') {
                return false;
            }
        }
        return !s.endsWith(" ");
    }

    /** Characters YAML reads back as themselves in any scalar style (no controls, breaks or BOM). */
    private static boolean printable(char c) {
        boolean inRange = (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c < 0xd800) || (c >= 0xe000 && c <= 0xfffd);
        return inRange && c != 0xfeff && c != 0x2028 && c != 0x2029;
    }
}
