package io.pgmetrics.exporter;

import static io.pgmetrics.core.sample.MetricType.COUNTER;
import static io.pgmetrics.core.sample.MetricType.GAUGE;

import io.pgmetrics.core.engine.FamilySet;
import io.pgmetrics.core.sample.Labels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The standard {@code process_*} metrics dashboards expect from every exporter (postgres_exporter
 * has them from the Go client): CPU time, resident and virtual memory, open and maximum file
 * descriptors, start time. Read from /proc on Linux; left out where unavailable.
 */
final class ProcessMetrics {

    private static final double START = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    private static final long PAGE_SIZE = 4096;
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final java.io.File FDS = new java.io.File("/proc/self/fd");

    private ProcessMetrics() {}

    static void addTo(FamilySet out, Labels base) {
        out.add("process_start_time_seconds", GAUGE, "Start time of the process since unix epoch in seconds.", base, START);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long cpu = os.getProcessCpuTime();
            if (cpu >= 0) {
                out.add("process_cpu_seconds_total", COUNTER, "Total user and system CPU time spent in seconds.", base, cpu / 1e9);
            }
        }
        try {
            String statm = Files.readString(STATM); // "size resident shared …", in pages
            int space = statm.indexOf(' ');
            long size = Long.parseLong(statm, 0, space, 10);
            long resident = Long.parseLong(statm, space + 1, statm.indexOf(' ', space + 1), 10);
            out.add("process_virtual_memory_bytes", GAUGE, "Virtual memory size in bytes.", base, size * PAGE_SIZE);
            out.add("process_resident_memory_bytes", GAUGE, "Resident memory size in bytes.", base, resident * PAGE_SIZE);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: no memory figures
        }
        String[] fds = FDS.list(); // names only: a Path per descriptor was most of this method's garbage
        if (fds != null) {
            out.add("process_open_fds", GAUGE, "Number of open file descriptors.", base, fds.length);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            out.add("process_max_fds", GAUGE, "Maximum number of open file descriptors.", base, unix.getMaxFileDescriptorCount());
        }
    }
}
