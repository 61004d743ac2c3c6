package io.pgmetrics.examples.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression reads. Not a full parser: it removes what cannot
 * hold a metric name (strings, label matchers, ranges, label lists of by/on/...), then keeps the
 * identifiers that are neither a call nor a keyword. Good enough for the expressions of our alert
 * rules and dashboard, and it refuses the one form it cannot read ({__name__=...}).
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    /** Grafana's label_values(metric-selector, label): only the first argument reads metrics. */
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$", Pattern.DOTALL);

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "and",
            "or",
            "unless",
            "atan2",
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio",
            "inf",
            "nan",
            "start",
            "end");

    private PromQl() {}

    static Set<String> metricNames(String expression) {
        if (expression.contains("__name__")) {
            throw new IllegalArgumentException("selecting by __name__ hides the metric name: " + expression);
        }
        String s = STRING.matcher(expression).replaceAll("\"\"");
        s = LABEL_MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = LABEL_LIST.matcher(s).replaceAll(" $1 ");
        s = GRAFANA_VARIABLE.matcher(s).replaceAll(" 0 ");

        Set<String> names = new TreeSet<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < s.length()
                        && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == ':')) {
                    i++;
                }
                String word = s.substring(start, i);
                if (!isCall(s, i) && !KEYWORDS.contains(word.toLowerCase())) {
                    names.add(word);
                }
            } else if (Character.isDigit(c) || c == '.') {
                // a number or a duration (1e9, 0.8, 1h30m): one token, never a name
                while (i < s.length()
                        && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return names;
    }

    /** The metric names of a Grafana variable query (label_values(...), or a plain expression). */
    static Set<String> metricNamesOfVariableQuery(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        if (m.matches()) {
            return metricNames(m.group(1));
        }
        if (query.matches("^\\s*label_values\\(\\s*\\w+\\s*\\)\\s*$")) {
            return Set.of(); // label_values(label): every series, no metric named
        }
        return metricNames(query);
    }

    private static boolean isCall(String s, int afterWord) {
        int j = afterWord;
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        return j < s.length() && s.charAt(j) == '(';
    }
}
