package io.pgmetrics.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Help texts and label values written in runs (the fast path) come out exactly as a
 * character-by-character escaper writes them, for seeded random strings rich in the characters
 * that need escaping.
 */
class TextFormatEscapingTest {

    private static final String ALPHABET = "ab\\\"\n \t{}=,é€😀#0";

    private static String reference(String s, boolean quote) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '"' -> b.append(quote ? "\\\"" : "\"");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String random(Random r) {
        int n = r.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(ALPHABET.codePointAt(
                    ALPHABET.offsetByCodePoints(0, r.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
        }
        return b.toString();
    }

    @Test
    void runsAreEscapedLikeSingleCharacters() {
        Random r = new Random(20261122L);
        for (int i = 0; i < 2000; i++) {
            String help = random(r);
            String value = random(r);
            MetricFamily f = new MetricFamily(
                    "m", MetricType.GAUGE, help, Optional.empty(), List.of(Sample.of(Labels.of("l", value), 1)));
            String expected = (help.isEmpty() ? "" : "# HELP m " + reference(help, false) + "\n")
                    + "# TYPE m gauge\n"
                    + "m{l=\"" + reference(value, true) + "\"} 1\n";
            assertThat(TextFormat.toString(List.of(f)))
                    .as("help %s, value %s", help, value)
                    .isEqualTo(expected);
        }
    }

    /** The bytes themselves (not decoded again): UTF-8 as the JDK encodes it, across the writer's buffer boundary. */
    @Test
    void bytesAreTheJdksUtf8AcrossBufferBoundaries() throws Exception {
        Random r = new Random(20261205L);
        List<Sample> samples = new java.util.ArrayList<>();
        StringBuilder expected = new StringBuilder("# HELP m h\\n€\n# TYPE m gauge\n");
        for (int i = 0; i < 3000; i++) { // about 80 KB: several buffers' worth
            String value = random(r) + i;
            samples.add(Sample.of(Labels.of("l", value), i - 1500));
            expected.append("m{l=\"")
                    .append(reference(value, true))
                    .append("\"} ")
                    .append(i - 1500)
                    .append('\n');
        }
        MetricFamily f = new MetricFamily("m", MetricType.GAUGE, "h\n€", Optional.empty(), samples);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TextFormat.write(List.of(f), bytes);
        assertThat(bytes.toByteArray())
                .isEqualTo(expected.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void anUnpairedSurrogateIsWrittenAsTheJdkEncoderWritesIt() throws Exception {
        String broken = "a\uD83Db\uDE00";
        MetricFamily f = new MetricFamily(
                "m", MetricType.GAUGE, "", Optional.empty(), List.of(Sample.of(Labels.of("l", broken), 1)));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TextFormat.write(List.of(f), bytes);
        assertThat(bytes.toByteArray())
                .isEqualTo(("# TYPE m gauge\nm{l=\"" + broken + "\"} 1\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
