package io.pgmetrics.core.publish;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.Sample;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes families in the Prometheus text format 0.0.4 exactly as named: a compat counter such as
 * {@code pg_stat_database_xact_commit} keeps its name and its {@code counter} type, as
 * postgres_exporter writes it (client_java's writer would rename it to {@code …_total}).
 */
public final class TextFormat {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private TextFormat() {}

    public static void write(List<MetricFamily> families, Writer out) throws IOException {
        char[] digits = new char[20];
        for (MetricFamily f : families) {
            if (!f.help().isEmpty()) {
                out.write("# HELP ");
                out.write(f.name());
                out.write(' ');
                writeEscaped(out, f.help(), false);
                out.write('\n');
            }
            out.write("# TYPE ");
            out.write(f.name());
            out.write(' ');
            out.write(f.type().text());
            out.write('\n');
            for (Sample s : f.samples()) {
                out.write(f.name());
                out.write(s.suffix());
                writeLabels(out, s.labels());
                out.write(' ');
                writeNumber(out, s.value(), digits);
                out.write('\n');
            }
        }
    }

    public static String toString(List<MetricFamily> families) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            write(families, w);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeLabels(Writer out, Labels labels) throws IOException {
        if (labels.isEmpty()) {
            return;
        }
        out.write('{');
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(labels.name(i));
            out.write("=\"");
            writeEscaped(out, labels.value(i), true);
            out.write('"');
        }
        out.write('}');
    }

    /** Writes {@code s} in runs between the characters that need escaping: one call per run, not per character. */
    private static void writeEscaped(Writer out, String s, boolean quote) throws IOException {
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            String escape = switch (s.charAt(i)) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '"' -> quote ? "\\\"" : null;
                default -> null;
            };
            if (escape != null) {
                out.write(s, run, i - run);
                out.write(escape);
                run = i + 1;
            }
        }
        out.write(s, run, s.length() - run);
    }

    /**
     * {@link #number} written without making a string for the common case, a whole number (most
     * samples are counters and sizes): one string per sample was a tenth of a scrape's garbage.
     */
    private static void writeNumber(Writer out, double v, char[] digits) throws IOException {
        if (v != Math.rint(v) || Math.abs(v) >= 1e15) {
            out.write(number(v)); // also NaN and the infinities
            return;
        }
        long n = Math.abs((long) v);
        int at = digits.length;
        do {
            digits[--at] = (char) ('0' + n % 10);
            n /= 10;
        } while (n != 0);
        if (v < 0) {
            digits[--at] = '-';
        }
        out.write(digits, at, digits.length - at);
    }

    /** Go-compatible spellings for the special values; integers without a fraction. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
