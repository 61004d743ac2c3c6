package io.pgmetrics.core.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one edit distance every "did you mean" of the project uses. */
class MessagesTest {

    @Test
    void distanceCountsEditsUpToItsLimit() {
        assertThat(Messages.distance("kitten", "sitting", 10)).isEqualTo(3);
        assertThat(Messages.distance("same", "same", 3)).isZero();
        assertThat(Messages.distance("", "abc", 10)).isEqualTo(3);
        assertThat(Messages.distance("kitten", "sitting", 2)).as("capped").isEqualTo(2);
        assertThat(Messages.distance("a", "abcdef", 3))
                .as("lengths alone exceed the limit")
                .isEqualTo(3);
        assertThat(Messages.distance("x".repeat(65), "x".repeat(65), 3))
                .as("too long to be a typo")
                .isEqualTo(3);
    }

    @Test
    void closestSuggestsOnlyLikelyTypos() {
        List<String> keys = List.of("metrics", "master", "cache_seconds");
        assertThat(Messages.closest("metrcs", keys)).contains("metrics");
        assertThat(Messages.closest("MASTR", keys)).as("case-blind").contains("master");
        assertThat(Messages.closest("usage", keys)).isEmpty();
        assertThat(Messages.didYouMean("cache_secnds", keys)).isEqualTo(" Did you mean 'cache_seconds'?");
        assertThat(Messages.didYouMean("zzz", keys)).isEmpty();
    }
}
