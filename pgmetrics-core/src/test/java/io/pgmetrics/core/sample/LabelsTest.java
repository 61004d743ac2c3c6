package io.pgmetrics.core.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels built from fixed names and a row's values are the same labels a map of them gives. */
class LabelsTest {

    @Test
    void labelsOfFixedNamesEqualThoseOfAMap() {
        Labels.Names names = Labels.Names.of(List.of("relname", "datname", "schemaname"));
        String[] values = new String[names.size()];
        values[names.indexOf("relname")] = "t";
        values[names.indexOf("datname")] = "app";
        values[names.indexOf("schemaname")] = "public";

        Labels fast = Labels.of(names, values);

        Map<String, String> map = new LinkedHashMap<>();
        map.put("relname", "t");
        map.put("datname", "app");
        map.put("schemaname", "public");
        Labels slow = Labels.of(map);
        assertThat(fast).isEqualTo(slow).hasSameHashCodeAs(slow);
        assertThat(fast.compareTo(slow)).isZero();
        assertThat(fast.toString()).isEqualTo("{datname=\"app\",relname=\"t\",schemaname=\"public\"}");
    }

    @Test
    void theValuesAreCopiedSoAReusedArrayChangesNothing() {
        Labels.Names names = Labels.Names.of(List.of("a"));
        String[] scratch = {"1"};
        Labels first = Labels.of(names, scratch);
        scratch[0] = "2";
        assertThat(first.get("a")).contains("1");
        assertThat(Labels.of(names, scratch).get("a")).contains("2");
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Labels.Names.of(List.of("a", "b", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label name a given twice");
        Labels.Names names = Labels.Names.of(List.of("a", "b"));
        assertThatThrownBy(() -> Labels.of(names, new String[] {"1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 values for 2 label names");
        assertThatThrownBy(() -> Labels.of(names, new String[] {"1", null}))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("label value");
        assertThat(names.indexOf("c")).isEqualTo(-1);
        assertThat(Labels.of(Labels.Names.of(List.of()), new String[0])).isSameAs(Labels.EMPTY);
    }

    @Test
    void withAddsOrReplacesOneLabelInItsSortedPlace() {
        Labels base = Labels.of("b", "2", "d", "4");
        assertThat(base.with("a", "1")).isEqualTo(Labels.of("a", "1", "b", "2", "d", "4"));
        assertThat(base.with("c", "3")).isEqualTo(Labels.of("b", "2", "c", "3", "d", "4"));
        assertThat(base.with("e", "5").toString()).isEqualTo("{b=\"2\",d=\"4\",e=\"5\"}");
        assertThat(base.with("d", "x")).isEqualTo(Labels.of("b", "2", "d", "x"));
        assertThat(Labels.EMPTY.with("le", "+Inf")).isEqualTo(Labels.of("le", "+Inf"));
        assertThat(base).as("unchanged").isEqualTo(Labels.of("b", "2", "d", "4"));
    }
}
