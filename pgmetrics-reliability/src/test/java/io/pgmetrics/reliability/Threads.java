package io.pgmetrics.reliability;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/** Thread counts of this JVM: all, and the exporter's own (named pgmetrics-*). */
final class Threads {

    private Threads() {}

    static int all() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static int exporters() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Threads::isExporters)
                .count();
    }

    /** The exporter's threads grouped by name without the trailing number, for a failure message. */
    static Map<String, Integer> exporterNames() {
        Map<String, Integer> out = new TreeMap<>();
        Thread.getAllStackTraces().keySet().stream()
                .filter(Threads::isExporters)
                .forEach(t -> out.merge(t.getName().replaceAll("-\\d+$", ""), 1, Integer::sum));
        return out;
    }

    private static boolean isExporters(Thread t) {
        return t.isAlive() && t.getName().startsWith("pgmetrics");
    }
}
