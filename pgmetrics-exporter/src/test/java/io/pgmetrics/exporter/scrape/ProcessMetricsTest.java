package io.pgmetrics.exporter.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pgmetrics.core.internal.engine.FamilySet;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Memory from /proc/self/status, in kB there whatever the kernel's page size; CPU, start and limit from /proc. */
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

    @Test
    void theSoftLimitIsReadFromProcSelfLimits() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max cpu time              unlimited            unlimited            seconds   \n"
                + "Max open files            1024                 524288               files     \n";
        assertThat(ProcessMetrics.softLimit(limits, "Max open files")).isEqualTo(OptionalDouble.of(1024));
        assertThat(ProcessMetrics.softLimit(limits, "Max cpu time")).isEmpty();
        assertThat(ProcessMetrics.softLimit(limits, "Max processes")).isEmpty();
    }

    /** The /proc readings against the platform beans the exporter no longer loads. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void cpuStartAndDescriptorLimitAgreeWithThePlatformBeans() {
        com.sun.management.UnixOperatingSystemMXBean os =
                (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double before = os.getProcessCpuTime() / 1e9;
        double proc = ProcessMetrics.cpuSeconds().orElseThrow();
        double after = os.getProcessCpuTime() / 1e9;
        // ticks of 10 ms against nanoseconds: the kernel's figure lies between the two bean readings
        assertThat(proc).isBetween(before - 0.05, after + 0.05);
        assertThat(ProcessMetrics.maxFds()).isEqualTo(OptionalDouble.of(os.getMaxFileDescriptorCount()));

        FamilySet out = new FamilySet();
        ProcessMetrics.addTo(out, Labels.EMPTY);
        double start = value(out, "process_start_time_seconds");
        // the process starts a little before the JVM records its start
        assertThat(start).isCloseTo(ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0, within(2.0));
        assertThat(value(out, "process_cpu_seconds_total")).isPositive();
    }

    private static double value(FamilySet out, String name) {
        return out.build().stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .flatMap(f -> f.value(Labels.EMPTY))
                .orElseThrow();
    }
}
