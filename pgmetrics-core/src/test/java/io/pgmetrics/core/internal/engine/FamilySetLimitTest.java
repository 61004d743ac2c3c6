package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FamilySetLimitTest {

    private static Sample sample(int i) {
        return Sample.of(Labels.of(java.util.Map.of("relname", "t" + i)), i);
    }

    @Test
    void querySeriesBeyondTheLimitAreLeftOutAndCounted() {
        FamilySet out = new FamilySet(3);
        int added = 0;
        for (int i = 0; i < 5; i++) {
            added += out.add("pg_stat_user_tables_seq_scan", MetricType.COUNTER, "h", Optional.empty(), sample(i))
                    ? 1
                    : 0;
        }
        assertThat(added).isEqualTo(3);
        assertThat(out.overLimit()).isEqualTo(2);
        assertThat(out.duplicates()).isZero();
    }

    @Test
    void selfMetricsAreAddedEvenAtTheLimit() {
        FamilySet out = new FamilySet(1);
        out.add("pg_stat_database_xact_commit", MetricType.COUNTER, "h", Optional.empty(), sample(1));
        out.add("pg_stat_database_xact_commit", MetricType.COUNTER, "h", Optional.empty(), sample(2));
        out.add("pg_up", MetricType.GAUGE, "up", Labels.EMPTY, 1);
        assertThat(out.build()).extracting(MetricFamily::name).containsExactly("pg_stat_database_xact_commit", "pg_up");
        assertThat(out.overLimit()).isEqualTo(1);
    }

    @Test
    void duplicatesDoNotUseUpTheLimit() {
        FamilySet out = new FamilySet(2);
        out.add("m", MetricType.GAUGE, "h", Optional.empty(), sample(1));
        out.add("m", MetricType.GAUGE, "h", Optional.empty(), sample(1));
        assertThat(out.add("m", MetricType.GAUGE, "h", Optional.empty(), sample(2)))
                .isTrue();
        assertThat(out.duplicates()).isEqualTo(1);
        assertThat(out.overLimit()).isZero();
    }
}
