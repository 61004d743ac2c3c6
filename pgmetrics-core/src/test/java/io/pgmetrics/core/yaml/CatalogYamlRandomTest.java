package io.pgmetrics.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.testing.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-style tests of the loaders with seeded {@link Random}: every failure message carries the seed of
 * its case; rerun one with {@code -Dpgmetrics.seed=<seed>}. The base seed is printed and fixed, so that the build is
 * the same on every run; explore with {@code -Dpgmetrics.seed=random}.
 */
class CatalogYamlRandomTest {

    private static final long BASE_SEED = Seeds.fromProperty("pgmetrics.seed");
    private static final int ROUND_TRIPS = 400;
    private static final int MUTATIONS = 1000;

    /** The foreign loaders log a warning per unknown key; thousands of mutated files would flood the build log. */
    private static final Logger LOADER_LOG = Logger.getLogger("io.pgmetrics.core.yaml");

    private static Level savedLevel;
    private static List<String> samples;

    @BeforeAll
    static void announceSeed() throws IOException {
        System.out.println(
                "CatalogYamlRandomTest base seed " + BASE_SEED + " (replay with -Dpgmetrics.seed=" + BASE_SEED + ")");
        samples = List.of(resource("legacy-queries.yaml"), resource("cnpg-queries.yaml"));
        savedLevel = LOADER_LOG.getLevel();
        LOADER_LOG.setLevel(Level.SEVERE);
    }

    @AfterAll
    static void restoreLogging() {
        LOADER_LOG.setLevel(savedLevel);
    }

    @Test
    void anyValidCatalogSurvivesWriteThenRead() {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            long seed = BASE_SEED + i;
            Catalog catalog = new RandomCatalogs(new Random(seed)).catalog();
            String yaml = CatalogYaml.write(catalog);
            Catalog back;
            try {
                back = CatalogYaml.read(yaml, "seed-" + seed + ".yaml");
            } catch (CatalogException e) {
                throw new AssertionError(
                        "seed " + seed + ": the written catalog does not read back:\n" + e.getMessage()
                                + "\n--- written:\n" + yaml,
                        e);
            }
            assertThat(back)
                    .as("seed %d: read(write(c)) equals c; written:%n%s", seed, yaml)
                    .isEqualTo(catalog);
            assertThat(CatalogYaml.write(back))
                    .as("seed %d: writing is stable", seed)
                    .isEqualTo(yaml);
        }
    }

    @Test
    void mutatedTextNeverThrowsAnythingButCatalogException(@TempDir Path dir) {
        int rejected = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            long seed = BASE_SEED + i;
            Random random = new Random(seed);
            String original = random.nextInt(4) == 0
                    ? samples.get(random.nextInt(samples.size()))
                    : CatalogYaml.write(new RandomCatalogs(random).catalog());
            String mutated = mutate(original, random);
            rejected += loadEveryWay(mutated, seed) ? 0 : 1;
            if (i % 25 == 0) {
                // the file path: bytes that are not UTF-8, a NUL, or a truncated multi-byte character
                byte[] bytes = corruptBytes(mutated.getBytes(StandardCharsets.UTF_8), random);
                Path file = dir.resolve("seed-" + seed + ".yaml");
                try {
                    Files.write(file, bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                expectOnlyCatalogException(seed, "CatalogYaml.read(Path)", () -> CatalogYaml.read(file));
                expectOnlyCatalogException(seed, "LegacyQueriesYaml.read(Path)", () -> LegacyQueriesYaml.read(file));
                expectOnlyCatalogException(seed, "CnpgQueriesYaml.read(Path)", () -> CnpgQueriesYaml.read(file));
            }
        }
        // the mutations must mostly break the file, or the test would prove little
        assertThat(rejected)
                .as("base seed %d: mutated files rejected", BASE_SEED)
                .isGreaterThan(MUTATIONS / 2);
    }

    /** @return true when every loader accepted the text */
    private static boolean loadEveryWay(String text, long seed) {
        boolean ours = expectOnlyCatalogException(seed, "CatalogYaml.read", () -> CatalogYaml.read(text, "m.yaml"));
        boolean legacy = expectOnlyCatalogException(
                seed, "LegacyQueriesYaml.read", () -> LegacyQueriesYaml.read(text, "m.yaml"));
        boolean cnpg = expectOnlyCatalogException(
                seed, "CnpgQueriesYaml.read", () -> CnpgQueriesYaml.read(text, "m.yaml", "cnpg_"));
        return ours && legacy && cnpg;
    }

    private static boolean expectOnlyCatalogException(long seed, String what, Runnable load) {
        try {
            load.run();
            return true;
        } catch (CatalogException e) {
            assertThat(e.problems())
                    .as("seed %d, %s: problems listed", seed, what)
                    .isNotEmpty();
            for (Problem p : e.problems()) {
                assertThat(p.location())
                        .as("seed %d, %s: every problem has a location: %s", seed, what, p)
                        .isPresent();
                assertThat(p.message())
                        .as("seed %d, %s: no loader bug", seed, what)
                        .doesNotStartWith("internal error");
            }
            return false;
        } catch (Throwable t) {
            fail("seed " + seed + ", " + what + ": threw " + t + " instead of a CatalogException", t);
            return false;
        }
    }

    private static String mutate(String text, Random random) {
        StringBuilder sb = new StringBuilder(text);
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            int at = sb.length() == 0 ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(9)) {
                case 0 -> { // delete a few characters
                    if (sb.length() > 0) {
                        sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(3)));
                    }
                }
                case 1 -> { // duplicate a stretch
                    int end = Math.min(sb.length(), at + random.nextInt(40));
                    sb.insert(at, sb.substring(at, end));
                }
                case 2 -> sb.insert(at, garble(random)); // garbled characters
                case 3 ->
                    sb.insert(
                            lineStart(sb, at),
                            " ".repeat(random.nextInt(8)) + randomKey(random) + ": "
                                    + new String[] {"x", "1", "[a, b]", "{k: v}", "", "~", "true"}[random.nextInt(7)]
                                    + "\n");
                case 4 ->
                    replaceValue(
                            sb,
                            at,
                            new String[] {"[1, 2]", "{a: b}", "~", "-1", "1.5", "\"\"", "true", "x"}
                                    [random.nextInt(8)]);
                case 5 ->
                    replaceValue(
                            sb, at, random.nextInt(8) == 0 ? "x".repeat(100_000) : "9".repeat(2000)); // huge values
                case 6 -> { // change indentation
                    int line = lineStart(sb, at);
                    if (random.nextBoolean()) {
                        sb.insert(line, ' ');
                    } else if (line < sb.length() && sb.charAt(line) == ' ') {
                        sb.deleteCharAt(line);
                    }
                }
                case 7 -> sb.setLength(at); // truncated
                default -> { // swap two lines
                    String[] lines = sb.toString().split("\n", -1);
                    if (lines.length > 2) {
                        int a = random.nextInt(lines.length);
                        int b = random.nextInt(lines.length);
                        String swap = lines[a];
                        lines[a] = lines[b];
                        lines[b] = swap;
                        sb.setLength(0);
                        sb.append(String.join("\n", lines));
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String garble(Random random) {
        String[] pieces = {
            ":",
            "- ",
            "#",
            "'",
            "\"",
            "{",
            "}",
            "[",
            "]",
            "&a",
            "*a",
            "!!str ",
            "!!binary ",
            "|",
            ">",
            "\t",
            "\n",
            "%YAML 1.2\n",
            "? ",
            ",",
            "\u0000",
            "\ud800",
            "\ufffe",
            "\u0085",
            "é",
            "<<: *a",
            "---\n",
            "..."
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            sb.append(
                    random.nextBoolean()
                            ? pieces[random.nextInt(pieces.length)]
                            : String.valueOf((char) random.nextInt(0x3000)));
        }
        return sb.toString();
    }

    private static String randomKey(Random random) {
        String[] keys = {
            "name",
            "sql",
            "usage",
            "columns",
            "variants",
            "ttl",
            "metrics",
            "query",
            "runonserver",
            "master",
            "target_databases",
            "predicate_query",
            "cache_seconds",
            "metric_mapping",
            "mapping",
            "bogus",
            "queries"
        };
        return keys[random.nextInt(keys.length)];
    }

    /** Replaces the rest of the line after the ": " nearest before {@code at}. */
    private static void replaceValue(StringBuilder sb, int at, String value) {
        int colon = sb.lastIndexOf(": ", at);
        if (colon < 0) {
            return;
        }
        int end = sb.indexOf("\n", colon);
        sb.replace(colon + 2, end < 0 ? sb.length() : end, value);
    }

    private static int lineStart(StringBuilder sb, int at) {
        int nl = sb.lastIndexOf("\n", Math.max(0, at - 1));
        return nl < 0 ? 0 : nl + 1;
    }

    private static byte[] corruptBytes(byte[] bytes, Random random) {
        List<Byte> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(b);
        }
        byte[][] bad = {
            {(byte) 0xff},
            {(byte) 0xc3},
            {(byte) 0xe2, (byte) 0x82},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {0},
            {(byte) 0x80}
        };
        byte[] chosen = bad[random.nextInt(bad.length)];
        int at = out.isEmpty() ? 0 : random.nextInt(out.size() + 1);
        for (int i = chosen.length - 1; i >= 0; i--) {
            out.add(at, chosen[i]);
        }
        byte[] result = new byte[out.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = out.get(i);
        }
        return result;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CatalogYamlRandomTest.class.getResourceAsStream("/yaml/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /yaml/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
