package io.pgmetrics.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A family is in a namespace when its name is the namespace or starts with it and an underscore. */
class OutputRulesTest {

    private static MetricFamily family(String name) {
        return new MetricFamily(
                name, MetricType.GAUGE, "", Optional.empty(), List.of(Sample.of(Labels.of("a", "b"), 1)));
    }

    @Test
    void onlyTheNamespaceAndNamesUnderItGetTheServerLabelAndThePrefix() {
        OutputRules rules = new OutputRules(Set.of("pg_custom"), Set.of("pg_custom"), Set.of(), "app");
        List<MetricFamily> out = rules.apply(
                List.of(family("pg_custom"), family("pg_custom_rows"), family("pg_customer"), family("pg_cust")),
                "db:5432");
        assertThat(out)
                .extracting(MetricFamily::name)
                .containsExactly("app_custom", "app_custom_rows", "pg_customer", "pg_cust");
        assertThat(out.get(0).samples().get(0).labels().get("server")).contains("db:5432");
        assertThat(out.get(1).samples().get(0).labels().get("server")).contains("db:5432");
        assertThat(out.get(2).samples().get(0).labels().get("server")).isEmpty();
        assertThat(out.get(3).samples().get(0).labels().get("server")).isEmpty();
    }
}
