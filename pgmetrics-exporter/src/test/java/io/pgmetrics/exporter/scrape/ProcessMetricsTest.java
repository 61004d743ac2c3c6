package io.pgmetrics.exporter.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.internal.engine.FamilySet;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Memory from /proc/self/status, in kB there whatever the kernel's page size. */
class ProcessMetricsTest {

    private static final String STATUS = "Name:\tjava\nVmPeak:\t 9000 kB\nVmSize:\t 8123 kB\nVmRSS:\t    1952 kB\n"
            + "RssAnon:\t 1000 kB\nThreads:\t12\n";

    @Test
    void readsKilobyteLinesAsBytes() {
        assertThat(ProcessMetrics.statusBytes(STATUS, "VmRSS")).isEqualTo(OptionalDouble.of(1952 * 1024.0));
        assertThat(ProcessMetrics.statusBytes(STATUS, "VmSize")).isEqualTo(OptionalDouble.of(8123 * 1024.0));
        assertThat(ProcessMetrics.statusBytes(STATUS, "VmSwap")).isEmpty();
        assertThat(ProcessMetrics.statusBytes(STATUS, "Threads"))
                .as("no kB unit")
                .isEmpty();
        assertThat(ProcessMetrics.statusBytes("VmRSS:\t12 MB\n", "VmRSS")).isEmpty();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theResidentMemoryIsTheKernelsFigure() throws Exception {
        FamilySet out = new FamilySet();
        ProcessMetrics.addTo(out, Labels.EMPTY);
        double rss = out.build().stream()
                .filter(f -> f.name().equals("process_resident_memory_bytes"))
                .findFirst()
                .flatMap(f -> f.value(Labels.EMPTY))
                .orElseThrow();
        String status = Files.readString(Path.of("/proc/self/status"));
        double kernel = ProcessMetrics.statusBytes(status, "VmRSS").orElseThrow();
        // a JVM holds tens of megabytes; the two readings are a moment apart
        assertThat(rss).isGreaterThan(16 * 1024 * 1024).isCloseTo(kernel, Percentage.withPercentage(20));
        assertThat(out.build()).extracting(MetricFamily::name).contains("process_virtual_memory_bytes");
    }
}
