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

    /** The 1-minute load average. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
