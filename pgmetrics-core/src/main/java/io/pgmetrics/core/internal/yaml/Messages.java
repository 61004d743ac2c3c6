package io.pgmetrics.core.internal.yaml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Small helpers for messages that say what is wrong and how to fix it. */
public final class Messages {

    /** What a key of any of our formats looks like: a plain name. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private Messages() {}

    /**
     * A key as a message may quote it. A key that is not a plain name is most often a value that lost
     * its colon ({@code password 'pw': …}), and values can be passwords, so it is described instead.
     */
    public static String key(String key) {
        return PLAIN_NAME.matcher(key).matches()
                ? "'" + key + "'"
                : "(a key of " + key.length()
                        + " characters that is not a plain name; not shown in case it holds a value)";
    }

    /** The key as the field of a {@code Problem}, or null when {@link #key} would not show it. */
    public static String field(String key) {
        return PLAIN_NAME.matcher(key).matches() ? key : null;
    }

    /** Text short enough for one message line, with control characters made visible. */
    public static String abbreviate(String text) {
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(text.length(), 60);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return text.length() > limit ? sb.append("...").toString() : sb.toString();
    }

    /** The closest candidate to a misspelt word, when it is close enough to be a likely typo. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        int tolerance = Math.max(1, Math.min(3, word.length() / 3));
        String best = null;
        int bestDistance = tolerance + 1;
        for (String candidate : candidates) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT), bestDistance);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** " Did you mean 'x'?" or nothing. */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " Did you mean '" + c + "'?").orElse("");
    }

    /**
     * Levenshtein distance of a and b, or {@code limit} once it is certain to be at least that: a
     * suggestion only cares about small distances, and so long garbage costs little. Words longer
     * than 64 characters are never typos of ours: {@code limit} too.
     */
    public static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit || a.length() > 64 || b.length() > 64) {
            return limit;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit);
    }
}
