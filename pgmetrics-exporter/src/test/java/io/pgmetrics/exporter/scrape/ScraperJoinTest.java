package io.pgmetrics.exporter.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.internal.engine.FamilySet;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One target's families join the exporter's own without being copied series by series, unless names meet. */
class ScraperJoinTest {

    private static MetricFamily gauge(String name, double... values) {
        List<Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(Sample.of(Labels.of("i", Integer.toString(i)), values[i]));
        }
        return new MetricFamily(name, MetricType.GAUGE, "help of " + name, Optional.empty(), samples);
    }

    private static FamilySet own(String... names) {
        FamilySet own = new FamilySet();
        for (String n : names) {
            own.add(n, MetricType.GAUGE, "own " + n, Labels.of("i", "0"), 7);
        }
        return own;
    }

    @Test
    void distinctNamesAreSortedAndTheTargetsFamiliesAreTheSameObjects() {
        MetricFamily b = gauge("pg_b", 1, 2);
        MetricFamily d = gauge("pg_d", 3);
        List<MetricFamily> out =
                Scraper.join(List.of(List.of(b, d)), own("pg_exporter_scrapes_total", "process_open_fds", "pg_a"));
        assertThat(out)
                .extracting(MetricFamily::name)
                .containsExactly("pg_a", "pg_b", "pg_d", "pg_exporter_scrapes_total", "process_open_fds");
        assertThat(out.get(1)).isSameAs(b);
        assertThat(out.get(2)).isSameAs(d);
    }

    @Test
    void aNameInBothIsMergedSeriesBySeriesWithTheTargetsSeriesFirst() {
        List<MetricFamily> out =
                Scraper.join(List.of(List.of(gauge("pg_up", 1, 1), gauge("pg_z", 5))), own("pg_up", "pg_a"));
        assertThat(out).extracting(MetricFamily::name).containsExactly("pg_a", "pg_up", "pg_z");
        MetricFamily up = out.get(1);
        // the series i=0 is in both: the target's value stays, the exporter's repeat is dropped
        assertThat(up.samples()).extracting(Sample::value).containsExactly(1.0, 1.0);
        assertThat(up.help()).isEqualTo("help of pg_up");
    }

    @Test
    void aNameTwiceInTheTargetsListIsMergedToo() {
        List<MetricFamily> out = Scraper.join(List.of(List.of(gauge("x_m", 1), gauge("x_m", 2, 3))), own());
        assertThat(out).hasSize(1);
        assertThat(out.get(0).samples()).extracting(Sample::value).containsExactly(1.0, 3.0);
    }
}
