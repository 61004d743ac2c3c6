package io.pgmetrics.core.publish;

import io.pgmetrics.core.internal.publish.Utf8Buffer;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes families in the Prometheus text format 0.0.4 exactly as named: a compat counter such as
 * {@code pg_stat_database_xact_commit} keeps its name and its {@code counter} type, as
 * postgres_exporter writes it (client_java's writer would rename it to {@code …_total}).
 */
public final class TextFormat {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Flushed to the stream in pieces of this size: gzip gets a few large writes, not many small ones. */
    private static final int BUFFER_BYTES = 16 * 1024;

    private TextFormat() {}

    /**
     * Writes the families as UTF-8 to {@code out}, through a buffer of its own (so {@code out} need not
     * be buffered); {@code out} is neither flushed nor closed.
     */
    public static void write(List<MetricFamily> families, OutputStream out) throws IOException {
        Utf8Buffer b = new Utf8Buffer(out, BUFFER_BYTES);
        LabelNames labelNames = new LabelNames();
        for (MetricFamily f : families) {
            if (!f.help().isEmpty()) {
                b.text("# HELP ");
                b.text(f.name());
                b.ascii(' ');
                b.escaped(f.help(), false);
                b.ascii('\n');
            }
            b.text("# TYPE ");
            b.text(f.name());
            b.ascii(' ');
            b.text(f.type().text());
            b.ascii('\n');
            byte[] name = f.name().getBytes(StandardCharsets.UTF_8); // once per family, not per sample
            for (Sample s : f.samples()) {
                b.bytes(name);
                b.text(s.suffix());
                writeLabels(b, s.labels(), labelNames);
                b.ascii(' ');
                writeNumber(b, s.value());
                b.ascii('\n');
            }
        }
        b.flushBuffer();
    }

    /** The same text to a character stream (for embedding; the exporter writes bytes). */
    public static void write(List<MetricFamily> families, Writer out) throws IOException {
        out.write(toString(families));
    }

    public static String toString(List<MetricFamily> families) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_BYTES);
        try {
            write(families, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void writeLabels(Utf8Buffer b, Labels labels, LabelNames names) throws IOException {
        if (labels.isEmpty()) {
            return;
        }
        b.ascii('{');
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                b.ascii(',');
            }
            b.bytes(names.encoded(i, labels.name(i)));
            b.ascii('=');
            b.ascii('"');
            b.escaped(labels.value(i), true);
            b.ascii('"');
        }
        b.ascii('}');
    }

    /**
     * Label names as UTF-8, remembered by position: the samples of a family mostly share their name
     * strings (one query's rows), so a name is encoded when it differs from the last one at its
     * position, found by identity, not by comparing characters.
     */
    private static final class LabelNames {
        private String[] names = new String[8];
        private byte[][] encoded = new byte[8][];

        byte[] encoded(int i, String name) {
            if (i >= names.length) {
                names = java.util.Arrays.copyOf(names, i * 2);
                encoded = java.util.Arrays.copyOf(encoded, i * 2);
            }
            if (names[i] != name) {
                names[i] = name;
                encoded[i] = name.getBytes(StandardCharsets.UTF_8);
            }
            return encoded[i];
        }
    }

    /**
     * {@link #number} written without making a string for the common case, a whole number (most
     * samples are counters and sizes): one string per sample was a tenth of a scrape's garbage.
     */
    private static void writeNumber(Utf8Buffer b, double v) throws IOException {
        if (v != Math.rint(v) || Math.abs(v) >= 1e15) {
            b.text(number(v)); // also NaN and the infinities
        } else {
            b.decimal((long) v); // -0.0 is "0", as Long.toString((long) -0.0)
        }
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
