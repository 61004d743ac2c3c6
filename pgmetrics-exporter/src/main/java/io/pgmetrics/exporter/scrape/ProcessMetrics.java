package io.pgmetrics.exporter.scrape;

import static io.pgmetrics.core.sample.MetricType.COUNTER;
import static io.pgmetrics.core.sample.MetricType.GAUGE;

import io.pgmetrics.core.internal.engine.FamilySet;
import io.pgmetrics.core.sample.Labels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The standard {@code process_*} metrics dashboards expect from every exporter (postgres_exporter
 * has them from the Go client): CPU time, resident and virtual memory, open and maximum file
 * descriptors, start time. Read from /proc on Linux; left out where unavailable. Memory comes from
 * /proc/self/status, which states it in kB whatever the page size (arm64 kernels often use 64 KiB pages).
 */
final class ProcessMetrics {

    private static final double START = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final java.io.File FDS = new java.io.File("/proc/self/fd");

    private ProcessMetrics() {}

    static void addTo(FamilySet out, Labels base) {
        out.add(
                "process_start_time_seconds",
                GAUGE,
                "Start time of the process since unix epoch in seconds.",
                base,
                START);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long cpu = os.getProcessCpuTime();
            if (cpu >= 0) {
                out.add(
                        "process_cpu_seconds_total",
                        COUNTER,
                        "Total user and system CPU time spent in seconds.",
                        base,
                        cpu / 1e9);
            }
        }
        try {
            String status = Files.readString(STATUS);
            statusBytes(status, "VmSize")
                    .ifPresent(v ->
                            out.add("process_virtual_memory_bytes", GAUGE, "Virtual memory size in bytes.", base, v));
            statusBytes(status, "VmRSS")
                    .ifPresent(v ->
                            out.add("process_resident_memory_bytes", GAUGE, "Resident memory size in bytes.", base, v));
        } catch (IOException | RuntimeException ignored) {
            // not Linux: no memory figures
        }
        String[] fds = FDS.list(); // names only: a Path per descriptor was most of this method's garbage
        if (fds != null) {
            out.add("process_open_fds", GAUGE, "Number of open file descriptors.", base, fds.length);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            out.add(
                    "process_max_fds",
                    GAUGE,
                    "Maximum number of open file descriptors.",
                    base,
                    unix.getMaxFileDescriptorCount());
        }
    }

    /** A "Name:   1234 kB" line of /proc/self/status in bytes, if the line is there and reads so. */
    static OptionalDouble statusBytes(String status, String name) {
        // every scrape reads this: find the one line rather than splitting the whole file into lines
        String key = name + ":";
        int at = status.startsWith(key) ? 0 : status.indexOf("\n" + key);
        if (at < 0) {
            return OptionalDouble.empty();
        }
        int from = status.indexOf(':', at) + 1;
        int end = status.indexOf('\n', from);
        // "VmRSS:\t   69444 kB": digits, blanks, the unit; no regular expression for it
        String value = status.substring(from, end < 0 ? status.length() : end).strip();
        int digits = 0;
        while (digits < value.length() && value.charAt(digits) >= '0' && value.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 18 || !value.substring(digits).strip().equals("kB")) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Long.parseLong(value, 0, digits, 10) * 1024.0);
    }
}
