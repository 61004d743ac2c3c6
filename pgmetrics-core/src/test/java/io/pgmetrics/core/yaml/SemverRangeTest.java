package io.pgmetrics.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.VersionRange;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemverRangeTest {

    private static VersionRange range(String min, String max) {
        return VersionRange.of(
                min.isEmpty() ? null : PgVersion.parse(min), max.isEmpty() ? null : PgVersion.parse(max));
    }

    @ParameterizedTest(name = "{0} -> [{1}, {2})")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                   | ''       | ''",
                ">=12.0.0             | 12       | ''",
                ">=12.0.0 <15.0.0     | 12       | 15",
                ">= 12.0.0, < 15.0.0  | 12       | 15",
                "<=15.0.0             | ''       | 15.1",
                ">12.0.0              | 12.1     | ''",
                "<14.2.1              | ''       | 14.3",
                ">=9.6.0 <10.0.0      | 9.6      | 10",
                "<9.6.24              | ''       | 9.6.24",
                "<=9.6.24             | ''       | 9.6.25",
                "=16.4.0              | 16.4     | 16.5",
                "16                   | 16       | 16.1",
                ">=1.0.0              | ''       | ''",
                "<200.0.0             | ''       | ''",
                "'>=12.0.0 <15.0.0 || >=13.0.0 <16.0.0' | 12 | 16"
            })
    void oneRange(String semver, String min, String max) {
        assertThat(SemverRange.parse(semver)).containsExactly(range(min, max));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<12.0.0 || >=14.0.0", "!=13.0.0 !=13.1.0 >=12.0.0 <14.0.0 || <12.0.0 || >=14.0.0 "})
    void alternativesBecomeSeveralRanges(String semver) {
        List<VersionRange> ranges = SemverRange.parse(semver);
        assertThat(ranges).first().isEqualTo(range("", semver.startsWith("!") ? "13" : "12"));
        assertThat(ranges.get(ranges.size() - 1).max()).isEmpty();
        assertThat(ranges.stream().anyMatch(r -> r.contains(PgVersion.parse("13.0"))))
                .isFalse();
        assertThat(ranges.stream().anyMatch(r -> r.contains(PgVersion.parse("14.0"))))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {">=12.x", "~12", ">=12.0.0 ||", "<=", ">=12.0.0-beta1", "1234567890.0.0"})
    void malformedRangesAreRejectedWithAHint(String semver) {
        assertThatThrownBy(() -> SemverRange.parse(semver))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a version range")
                .hasMessageContaining(">=12.0.0 <15.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {">=15.0.0 <12.0.0", "<1.0.0", ">=300.0.0"})
    void rangesThatAdmitNoVersionAreRejected(String semver) {
        assertThatThrownBy(() -> SemverRange.parse(semver))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admits no PostgreSQL version");
    }
}
