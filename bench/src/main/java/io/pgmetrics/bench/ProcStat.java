package io.pgmetrics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and load from /proc. */
final class ProcStat {

    /** Linux's USER_HZ: /proc/&lt;pid&gt;/stat counts CPU time in 1/100 s on every common kernel. */
    static final int TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the command name (field 2) may hold spaces: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
    }

    /**
     * CPU ticks of each thread of a process, summed by thread name with its trailing number dropped
     * ("pgmetrics-http-3" and "pgmetrics-http-5" count as "pgmetrics-http-", the JIT compilers as
     * "C1 CompilerThre" and "C2 CompilerThre": Linux keeps 15 characters of a name).
     */
    static java.util.Map<String, Long> threadTicks(long pid) throws IOException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /**
     * CPU time of each thread of a process in nanoseconds (the first field of
     * /proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat: time on a CPU, exact where /stat counts 10 ms ticks), summed
     * by thread name with its trailing number dropped, as {@link #threadTicks}.
     */
    static java.util.Map<String, Long> threadNanos(long pid) throws IOException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+$", "");
                    String nanos = Files.readString(task.resolve("schedstat")).split(" ")[0];
                    out.merge(name, Long.parseLong(nanos.strip()), Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /**
     * The CPU each thread name used between two {@link #threadNanos} readings, in ms per scrape, largest
     * first, e.g. "pgmetrics-http- 4.1, C1 CompilerThre 2.0, …" (names used less than 0.05 ms left out).
     */
    static String perScrapeByThread(
            java.util.Map<String, Long> before, java.util.Map<String, Long> after, int scrapes) {
        StringBuilder b = new StringBuilder();
        after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() / 1e6 / scrapes >= 0.05)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ")
                        .append(e.getKey().strip())
                        .append(' ')
                        .append(String.format("%.2f", e.getValue() / 1e6 / scrapes)));
        return b.toString();
    }

    /** The 1-minute load average. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
