package io.pgmetrics.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.internal.publish.Snapshots;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextFormatTest {

    private static final MetricFamily LEGACY_COUNTER = new MetricFamily(
            "pg_stat_database_xact_commit",
            MetricType.COUNTER,
            "Transactions \"committed\"\nin total",
            Optional.empty(),
            List.of(Sample.of(Labels.of("datname", "a\\b\"c"), 42), Sample.of(Labels.of("datname", "x"), Double.NaN)));

    @Test
    void compatCountersKeepTheirExactNameAndTypeAndValuesAreEscaped() {
        String text = TextFormat.toString(List.of(LEGACY_COUNTER));
        assertThat(text).isEqualTo("""
                # HELP pg_stat_database_xact_commit Transactions "committed"\\nin total
                # TYPE pg_stat_database_xact_commit counter
                pg_stat_database_xact_commit{datname="a\\\\b\\"c"} 42
                pg_stat_database_xact_commit{datname="x"} NaN
                """);
    }

    @Test
    void clientJavaGetsTheLegacyCounterAsUntypedUnderItsNameAndHistogramsRegrouped() throws Exception {
        MetricFamily hist = new MetricFamily(
                "app_wait",
                MetricType.HISTOGRAM,
                "wait",
                Optional.empty(),
                List.of(
                        new Sample("_bucket", Labels.of("q", "m", "le", "1"), 1),
                        new Sample("_bucket", Labels.of("q", "m", "le", "10"), 3),
                        new Sample("_bucket", Labels.of("q", "m", "le", "+Inf"), 4),
                        new Sample("_sum", Labels.of("q", "m"), 20),
                        new Sample("_count", Labels.of("q", "m"), 4)));
        MetricFamily strict = new MetricFamily(
                "pgmetrics_query_errors_total",
                MetricType.COUNTER,
                "errors",
                Optional.empty(),
                List.of(Sample.of(Labels.of("query", "a"), 2)));
        var snapshots = Snapshots.of(List.of(LEGACY_COUNTER, hist, strict), n -> true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new OpenMetricsTextFormatWriter(false, false).write(out, snapshots);
        String om = out.toString(StandardCharsets.UTF_8);
        assertThat(om)
                .contains("# TYPE pg_stat_database_xact_commit unknown")
                .contains("pg_stat_database_xact_commit{datname=\"x\"} NaN")
                .contains("app_wait_bucket{q=\"m\",le=\"10.0\"} 3")
                .contains("app_wait_bucket{q=\"m\",le=\"+Inf\"} 4")
                .contains("app_wait_count{q=\"m\"} 4")
                .contains("# TYPE pgmetrics_query_errors counter")
                .contains("pgmetrics_query_errors_total{query=\"a\"} 2.0");
    }

    /** Whole numbers are written digit by digit (no string per sample); they must read as number() spells them. */
    @Test
    void valuesAreWrittenAsNumberSpellsThem() {
        double[] edge = {
            0,
            -0.0,
            1,
            -1,
            9,
            10,
            99,
            100,
            42.5,
            -7.25,
            1e-9,
            999_999_999_999_999.0,
            1e15,
            -1e15,
            1e300,
            Long.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE
        };
        java.util.Random r = new java.util.Random(20261204L);
        List<Sample> samples = new java.util.ArrayList<>();
        StringBuilder expected = new StringBuilder("# TYPE v gauge\n");
        for (int i = 0; i < 2000; i++) {
            double v = i < edge.length
                    ? edge[i]
                    : switch (i % 3) {
                        case 0 -> (double) (r.nextLong() % 1_000_000_000_000_000L);
                        case 1 -> (double) r.nextInt();
                        default -> r.nextGaussian() * Math.pow(10, r.nextInt(20) - 5);
                    };
            samples.add(Sample.of(Labels.of("i", Integer.toString(i)), v));
            expected.append("v{i=\"")
                    .append(i)
                    .append("\"} ")
                    .append(TextFormat.number(v))
                    .append('\n');
        }
        String text =
                TextFormat.toString(List.of(new MetricFamily("v", MetricType.GAUGE, "", Optional.empty(), samples)));
        assertThat(text).isEqualTo(expected.toString());
        assertThat(text)
                .contains(
                        "v{i=\"0\"} 0\n",
                        "v{i=\"1\"} 0\n",
                        "v{i=\"3\"} -1\n",
                        "v{i=\"11\"} 999999999999999\n",
                        "v{i=\"12\"} 1.0E15\n");
    }
}
