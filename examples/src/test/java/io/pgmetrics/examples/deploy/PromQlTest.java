package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricInsideAggregationsCallsMatchersAndRanges() {
        assertThat(
                        PromQl.metricNames(
                                "sum by (datname) (rate(pg_stat_database_xact_commit{job=\"$job\", datname=~\"a|b_c\"}[$__rate_interval]))"))
                .containsExactly("pg_stat_database_xact_commit");
    }

    @Test
    void ignoresLabelListsOfVectorMatching() {
        assertThat(
                        PromQl.metricNames(
                                "sum by (job, instance) (a_total) / on (job, instance) group_left (slot_name) max without (pid) (b) > 0.8"))
                .containsExactly("a_total", "b");
    }

    @Test
    void ignoresKeywordsNumbersDurationsAndFunctions() {
        assertThat(
                        PromQl.metricNames(
                                "(x - x offset 1h) > 0.1 * (x offset 1h30m) and x > 1e9 unless on (job) time() - y == bool 0 or vector(0)"))
                .containsExactly("x", "y");
        assertThat(PromQl.metricNames(
                        "topk(10, count(z == 0)) or histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))"))
                .containsExactly("h_bucket", "z");
    }

    @Test
    void labelValuesInsideStringsAreNotNames() {
        assertThat(PromQl.metricNames("up{job=~\"postgres.*\", instance!=\"db1:9187\"} == 0"))
                .containsExactly("up");
        assertThat(PromQl.metricNames("m{state=~\"idle in transaction.*\", wait_event='Lock'}"))
                .containsExactly("m");
    }

    @Test
    void readsGrafanaVariableQueries() {
        assertThat(PromQl.metricNamesOfVariableQuery("label_values(pg_up{job=\"$job\"}, instance)"))
                .containsExactly("pg_up");
        assertThat(PromQl.metricNamesOfVariableQuery("label_values(job)")).isEmpty();
        assertThat(PromQl.metricNamesOfVariableQuery("query_result(max by (datname) (pg_database_size_bytes))"))
                .containsExactly("pg_database_size_bytes");
    }

    @Test
    void refusesSelectionByName() {
        assertThatThrownBy(() -> PromQl.metricNames("{__name__=~\"pg_.*\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
