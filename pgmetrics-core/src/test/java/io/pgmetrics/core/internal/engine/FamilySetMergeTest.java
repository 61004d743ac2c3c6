package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Merging built lists gives what adding every series to one set gives, without copying unshared families. */
class FamilySetMergeTest {

    private static final MetricType[] TYPES = {MetricType.GAUGE, MetricType.COUNTER, MetricType.UNTYPED};

    /** A built list as one target's collection gives it: few names, so lists share some, with repeats and clashes. */
    private static List<MetricFamily> built(Random random) {
        FamilySet set = new FamilySet();
        int families = random.nextInt(8);
        for (int f = 0; f < families; f++) {
            String name = "m_" + random.nextInt(10);
            MetricType type = TYPES[random.nextInt(TYPES.length)];
            for (int s = random.nextInt(4); s >= 0; s--) {
                Labels labels = Labels.of("server", "s" + random.nextInt(3), "i", Integer.toString(random.nextInt(3)));
                set.add(name, type, "help " + name, Optional.empty(), Sample.of(labels, random.nextInt(100)));
            }
        }
        return set.build();
    }

    @Test
    void mergeEqualsAddingEverySeriesToOneSetInListOrder() {
        for (int seed = 0; seed < 2_000; seed++) {
            Random random = new Random(seed);
            List<List<MetricFamily>> lists = new ArrayList<>();
            for (int l = random.nextInt(4); l >= 0; l--) {
                lists.add(built(random));
            }
            FamilySet one = new FamilySet();
            lists.forEach(list -> list.forEach(one::addAll));

            assertThat(FamilySet.merge(lists)).as("seed %d", seed).isEqualTo(one.build());
        }
    }

    @Test
    void aFamilyNoOtherListNamesIsTakenAsItIs() {
        MetricFamily a = MetricFamily.gauge("a", "", List.of(Sample.of(Labels.of("x", "1"), 1)));
        MetricFamily b = MetricFamily.gauge("b", "", List.of(Sample.of(Labels.of("x", "1"), 2)));
        MetricFamily b2 = MetricFamily.gauge("b", "", List.of(Sample.of(Labels.of("x", "2"), 3)));

        List<MetricFamily> out = FamilySet.merge(List.of(List.of(b), List.of(a, b2)));

        assertThat(out.get(0)).isSameAs(a);
        assertThat(out.get(1).samples()).extracting(Sample::value).containsExactly(2.0, 3.0);
    }

    @Test
    void aFamilyWithoutSeriesIsLeftOut() {
        MetricFamily empty = MetricFamily.gauge("e", "", List.of());

        assertThat(FamilySet.merge(List.of(List.of(empty)))).isEmpty();
    }
}
