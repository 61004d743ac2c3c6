package io.pgmetrics.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.internal.yaml.Durations;
import io.pgmetrics.testing.Seeds;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The scalar spellings the writer emits and the reader accepts. */
class YamlScalarsTest {

    @Test
    void versionNumbersReadBackFromTheirText() {
        for (int num = 80000; num < 100000; num++) { // every 8.x and 9.x number
            assertReadsBack(num);
        }
        for (int major = 10; major <= 99; major++) { // 10 and later: the low minors and the highest
            for (int minor = 0; minor < 100; minor++) {
                assertReadsBack(major * 10000 + minor);
                assertReadsBack(major * 10000 + 9999 - minor);
            }
        }
    }

    private static void assertReadsBack(int num) {
        PgVersion v = new PgVersion(num);
        if (!PgVersion.parse(v.toString()).equals(v)) {
            throw new AssertionError(num + " is written " + v + " and reads back as "
                    + PgVersion.parse(v.toString()).num());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"16.-1", "9.100", "9.6.100", "16.10000", "100", "1000.1", "16.", ".5", "x"})
    void versionPartsOutOfRangeAreRejected(String text) {
        assertThatThrownBy(() -> PgVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a PostgreSQL version");
    }

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
        "0, 0",
        "0s, 0",
        "500ms, 500000000",
        "30s, 30000000000",
        "1m30s, 90000000000",
        "1.5h, 5400000000000",
        "2h45m, 9900000000000",
        "250us, 250000",
        "250µs, 250000",
        "7ns, 7",
        ".5s, 500000000",
        "-2s, -2000000000"
    })
    void goDurations(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 s", "5sec", "1d", "s", "1.5ns", "1e3s", "99999999999999999999999h"})
    void badDurationsSayWhatIsExpected(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.trim().isEmpty() ? "is not a duration" : text);
    }

    @Test
    void daysAndWeeksOnlyWhereAsked() {
        assertThat(Durations.parseWithDays("1d12h")).isEqualTo(Duration.ofHours(36));
        assertThat(Durations.parseWithDays("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parseWithDays("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Durations.parse("1w")).hasMessageContaining("'1w' is not a duration");
    }

    @Test
    void durationsAreWrittenExactlyInTheLargestUnit() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        long seed = Seeds.fromProperty("pgmetrics.seed");
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            Duration d = Duration.ofSeconds(random.nextLong() >> random.nextInt(64), random.nextInt(1_000_000_000));
            assertThat(Durations.parse(Durations.format(d)))
                    .as("seed %d, %s", seed, d)
                    .isEqualTo(d);
        }
    }

    @Test
    void textThatCouldBeMistakenIsQuoted() {
        for (String s :
                new String[] {"null", "True", "y", "123", "1.5", "", " x", "x ", "a: b", "#c", "- d", "~", "é"}) {
            assertThat(YamlWriter.inline(s)).as(s).startsWith("\"");
        }
        assertThat(YamlWriter.inline("Number of backends (per state)")).isEqualTo("Number of backends (per state)");
        assertThat(YamlWriter.inline("a\u0000b\u2028")).isEqualTo("\"a\\u0000b\\u2028\"");
    }
}
