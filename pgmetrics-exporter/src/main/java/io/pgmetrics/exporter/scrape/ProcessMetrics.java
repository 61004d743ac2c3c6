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
 *
 * <p>CPU time, start time and the descriptor limit come from /proc too, as the Go client reads them,
 * not from {@code java.lang.management}: its platform beans load about 50 classes (and their
 * metaspace) into every exporter and agent host for three numbers. Where /proc is missing they are
 * taken from the beans ({@link Jmx}, loaded only then).
 */
final class ProcessMetrics {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final java.io.File FDS = new java.io.File("/proc/self/fd");

    /**
     * /proc states times in USER_HZ ticks, which the kernel fixes at 100 for user space on every
     * architecture Java runs on (the Go client assumes the same).
     */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final double START = startTime();

    private ProcessMetrics() {}

    static void addTo(FamilySet out, Labels base) {
        out.add(
                "process_start_time_seconds",
                GAUGE,
                "Start time of the process since unix epoch in seconds.",
                base,
                START);
        OptionalDouble cpu = cpuSeconds();
        if (cpu.isPresent()) {
            out.add(
                    "process_cpu_seconds_total",
                    COUNTER,
                    "Total user and system CPU time spent in seconds.",
                    base,
                    cpu.getAsDouble());
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
        OptionalDouble maxFds = maxFds();
        if (maxFds.isPresent()) {
            out.add("process_max_fds", GAUGE, "Maximum number of open file descriptors.", base, maxFds.getAsDouble());
        }
    }

    /** utime + stime of /proc/self/stat, else the platform bean's figure. */
    static OptionalDouble cpuSeconds() {
        String[] fields = statFields();
        if (fields.length > 12) {
            return OptionalDouble.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND);
        }
        return Jmx.cpuSeconds();
    }

    /** The soft limit of "Max open files" in /proc/self/limits (what getrlimit says), else the bean's. */
    static OptionalDouble maxFds() {
        try {
            return softLimit(Files.readString(LIMITS), "Max open files");
        } catch (IOException | RuntimeException e) {
            return Jmx.maxFds();
        }
    }

    /** A limit's soft value from /proc/self/limits text; empty when absent or "unlimited". */
    static OptionalDouble softLimit(String limits, String name) {
        for (String line : limits.split("\n")) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).strip().split("\\s+");
                return parts[0].chars().allMatch(Character::isDigit) && !parts[0].isEmpty()
                        ? OptionalDouble.of(Long.parseLong(parts[0]))
                        : OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /** Boot time (btime of /proc/stat) plus the process's start in ticks after boot, else the bean's. */
    private static double startTime() {
        String[] fields = statFields();
        try {
            if (fields.length > 19) {
                for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                    if (line.startsWith("btime ")) {
                        return Long.parseLong(line.substring(6).strip())
                                + Long.parseLong(fields[19]) / TICKS_PER_SECOND;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the bean
        }
        return Jmx.startSeconds();
    }

    /** The fields of /proc/self/stat after the command name (field 3, the state, is index 0); empty off Linux. */
    private static String[] statFields() {
        try {
            String stat = Files.readString(STAT);
            // the command name is in parentheses and may itself hold spaces or parentheses
            return stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        } catch (IOException | RuntimeException e) {
            return new String[0];
        }
    }

    /** The platform beans, where /proc is not there to read. */
    private static final class Jmx {
        static OptionalDouble cpuSeconds() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    && os.getProcessCpuTime() >= 0) {
                return OptionalDouble.of(os.getProcessCpuTime() / 1e9);
            }
            return OptionalDouble.empty();
        }

        static OptionalDouble maxFds() {
            return ManagementFactory.getOperatingSystemMXBean()
                            instanceof com.sun.management.UnixOperatingSystemMXBean unix
                    ? OptionalDouble.of(unix.getMaxFileDescriptorCount())
                    : OptionalDouble.empty();
        }

        static double startSeconds() {
            return ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
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
