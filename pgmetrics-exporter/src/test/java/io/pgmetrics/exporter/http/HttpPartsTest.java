package io.pgmetrics.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.internal.yaml.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Budgets, durations and content negotiation. */
class HttpPartsTest {

    @Test
    void budgetFollowsTheScrapeTimeoutHeaderCappedByTheCollectionTimeout() {
        Duration cap = Duration.ofMinutes(1);
        Duration none = Duration.ofMillis(9500);
        assertThat(Budgets.of("10", cap, none)).isEqualTo(Duration.ofMillis(9500));
        assertThat(Budgets.of("2.5", cap, none)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Budgets.of("0.5", cap, none)).isEqualTo(Duration.ofMillis(250));
        assertThat(Budgets.of("120", cap, none)).isEqualTo(cap);
        assertThat(Budgets.of(null, cap, none)).isEqualTo(none);
        assertThat(Budgets.of("junk", cap, none)).isEqualTo(none);
        assertThat(Budgets.of(null, Duration.ofSeconds(3), none)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void goDurations() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Durations.format(Duration.ofMinutes(1))).isEqualTo("1m");
    }

    @Test
    void contentNegotiation() {
        assertThat(Exposition.wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"))
                .isTrue();
        assertThat(Exposition.wantsOpenMetrics("text/plain")).isFalse();
        assertThat(Exposition.acceptsGzip("deflate, gzip;q=1.0")).isTrue();
        assertThat(Exposition.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(Exposition.nameFilter("name%5B%5D=pg_up&name[]=a&x=1")).containsExactly("pg_up", "a");
    }
}
