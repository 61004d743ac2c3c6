package io.pgmetrics.reliability;

import io.pgmetrics.testing.Seeds;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Seeded random inputs. The seed is fixed, so that the build is the same on every run; explore with
 * {@code -Dpgmetrics.reliability.seed=random} (or a number). Every assertion message carries the seed
 * so that a failure replays exactly.
 */
final class Fuzz {

    /** The characters parsers of DSNs, YAML, flags and URLs give a meaning to. */
    private static final String SPECIAL = ":{}[]'\"#&*!|>%@,?=/\\\n\t \r-$;+~^`<";

    private static final String[] ODD = {
        "\u0000", "\u00e9", "\u2028", "\uFEFF", "\uD800", "\uDC00", "\uD83D\uDE00", "\u0007", "\u202E"
    };
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\tat |\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\b(java|javax|sun|jdk|com\\.fasterxml|org\\.yaml|picocli|io\\.pgmetrics)\\.[a-z]");

    private Fuzz() {}

    /** The build's seed unless given; 12 runs with random seeds and three times the inputs passed before it was fixed. */
    static long seed() {
        return Seeds.fromProperty("pgmetrics.reliability.seed");
    }

    static String replay(long seed) {
        return "seed " + seed + " (replay: -Dpgmetrics.reliability.seed=" + seed + ")";
    }

    /** The text with control and odd characters as \\uXXXX, for assertion messages a report can show. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), 400));
        for (int i = 0; i < text.length() && i < 400; i++) {
            char c = text.charAt(i);
            if (c < 0x20
                    || c == 0x7f
                    || (c >= 0x80 && c < 0xa0)
                    || Character.isSurrogate(c)
                    || c == '\u2028'
                    || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return text.length() > 400 ? b + "...(" + text.length() + " chars)" : b.toString();
    }

    /** Whether a text a user sees looks like a stack trace or names internal classes. */
    static boolean looksLikeStackTrace(String text) {
        return text != null && STACK_TRACE.matcher(text).find();
    }

    /** {@code base} with 1..{@code maxEdits} random deletions, insertions, repeats and swaps. */
    static String mutate(Random r, String base, int maxEdits) {
        StringBuilder s = new StringBuilder(base);
        int edits = 1 + r.nextInt(maxEdits);
        for (int e = 0; e < edits; e++) {
            int at = s.length() == 0 ? 0 : r.nextInt(s.length());
            switch (r.nextInt(6)) {
                case 0 -> s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(8)));
                case 1 -> s.insert(at, SPECIAL.charAt(r.nextInt(SPECIAL.length())));
                case 2 -> s.insert(at, ODD[r.nextInt(ODD.length)]);
                case 3 -> {
                    int end = Math.min(s.length(), at + 1 + r.nextInt(20));
                    s.insert(at, s.substring(at, end).repeat(1 + r.nextInt(4)));
                }
                case 4 -> {
                    if (s.length() > 1) {
                        int other = r.nextInt(s.length());
                        char c = s.charAt(at);
                        s.setCharAt(at, s.charAt(other));
                        s.setCharAt(other, c);
                    }
                }
                default -> s.insert(at, text(r, 1 + r.nextInt(6)));
            }
        }
        return s.toString();
    }

    /** Random text from letters, digits, the special characters and odd code points (lone surrogates included). */
    static String text(Random r, int length) {
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            int k = r.nextInt(10);
            if (k < 5) {
                b.append((char) ('a' + r.nextInt(26)));
            } else if (k < 6) {
                b.append((char) ('0' + r.nextInt(10)));
            } else if (k < 9) {
                b.append(SPECIAL.charAt(r.nextInt(SPECIAL.length())));
            } else {
                b.append(ODD[r.nextInt(ODD.length)]);
            }
        }
        return b.toString();
    }

    static byte[] bytes(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }

    /** Bytes that are not UTF-8: a lone continuation byte, an overlong NUL, a truncated sequence, 0xFF. */
    static byte[] notUtf8(Random r) {
        byte[][] bad = {
            {(byte) 0x80},
            {(byte) 0xC0, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xFF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}
        };
        return bad[r.nextInt(bad.length)];
    }
}
