package io.pgmetrics.exporter;

import io.pgmetrics.core.sample.Labels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The standard {@code process_*} metrics dashboards expect from every exporter (postgres_exporter
 * has them from the Go client): CPU time, resident and virtual memory, open and maximum file
 * descriptors, start time. Read from /proc on Linux; left out where unavailable.
 */
final class ProcessMetrics {

    private static final double START = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    private static final long PAGE_SIZE = 4096;

    private ProcessMetrics() {}

    static void addTo(FamilyMerger out, Labels base) {
        out.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", base, START);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long cpu = os.getProcessCpuTime();
            if (cpu >= 0) {
                out.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", base, cpu / 1e9);
            }
        }
        try {
            List<String> statm = List.of(Files.readString(Path.of("/proc/self/statm")).strip().split("\\s+"));
            out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", base, Long.parseLong(statm.get(0)) * PAGE_SIZE);
            out.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", base, Long.parseLong(statm.get(1)) * PAGE_SIZE);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: no memory figures
        }
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            out.gauge("process_open_fds", "Number of open file descriptors.", base, fds.count());
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            out.gauge("process_max_fds", "Maximum number of open file descriptors.", base, unix.getMaxFileDescriptorCount());
        }
    }
}
