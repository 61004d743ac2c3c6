package io.pgmetrics.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {

    private static final String TEXT = """
            # HELP pg_up Whether the last scrape could read the server.
            # TYPE pg_up gauge
            pg_up 1
            # TYPE pg_database_size_bytes gauge
            pg_database_size_bytes{datname="shop"} 8.5e+06
            pg_database_size_bytes{datname="a \\"quoted\\" name"} 42
            # TYPE wait_seconds histogram
            wait_seconds_bucket{le="1"} 2
            wait_seconds_bucket{le="+Inf"} 3
            wait_seconds_sum 4.5
            wait_seconds_count 3
            """;

    @Test
    void readsFamiliesAndSamplesBack() {
        PromText text = PromText.parse(TEXT);
        assertThat(text.families()).containsOnlyKeys("pg_up", "pg_database_size_bytes", "wait_seconds");
        assertThat(text.families().get("pg_up").help).isEqualTo("Whether the last scrape could read the server.");
        assertThat(text.families().get("wait_seconds").type).isEqualTo("histogram");
        assertThat(text.families().get("wait_seconds").series).hasSize(4);
        assertThat(text.value("pg_up")).contains(1.0);
        assertThat(text.value("pg_database_size_bytes", "datname", "a \"quoted\" name"))
                .contains(42.0);
        assertThat(text.families().get("pg_database_size_bytes").value(Map.of("datname", "shop")))
                .contains(8.5e6);
        assertThat(text.find("pg_database_size_bytes")).hasSize(2);
        assertThat(text.has("wait_seconds_count")).isTrue();
        assertThat(text.has("pg_down")).isFalse();
        assertThat(text.samples()).hasSize(7);
    }

    @Test
    void rejectsWhatPrometheusRejectsNamingTheLine() {
        assertThatThrownBy(() -> PromText.parse("pg_up 1\n"))
                .hasMessage("line 1: sample pg_up has no TYPE line before it");
        assertThatThrownBy(() -> PromText.parse("# TYPE a gauge\na 1\na 2\n"))
                .hasMessage("line 3: duplicate series a{}");
        assertThatThrownBy(() -> PromText.parse("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# HELP a again\n"))
                .hasMessage("line 5: family a appears twice");
        assertThatThrownBy(() -> PromText.parse("# TYPE a gauge\na one\n")).hasMessage("line 2: bad value one");
        assertThatThrownBy(() -> PromText.parse("# TYPE a gauge\na 1"))
                .hasMessage("the text does not end with a newline");
        assertThatThrownBy(() -> PromText.parse("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n"))
                .hasMessage("h{}: +Inf bucket differs from _count");
    }

    @Test
    void firstValueLooksWithoutParsingTheRest() {
        String lax = "pg_up 1\nnot a sample line at all\npg_stat{datname=\"postgres\",x=\"y\"} 7\n";
        assertThat(PromText.firstValue(lax, "pg_up", "")).hasValue(1.0);
        assertThat(PromText.firstValue(lax, "pg_stat", "datname=\"postgres\"")).hasValue(7.0);
        assertThat(PromText.firstValue(lax, "pg_stat", "datname=\"shop\"")).isEmpty();
    }
}
