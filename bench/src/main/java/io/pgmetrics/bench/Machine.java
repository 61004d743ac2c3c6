package io.pgmetrics.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the figures were measured on. */
final class Machine {

    private Machine() {}

    static List<String> describe(Options o) {
        List<String> out = new ArrayList<>();
        out.add("CPUs (nproc): " + Runtime.getRuntime().availableProcessors());
        out.add("CPU: " + firstValue(Path.of("/proc/cpuinfo"), "model name"));
        out.add("memory: " + firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        out.add("kernel: " + read(Path.of("/proc/sys/kernel/osrelease")).strip());
        out.add("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.add("postgres_exporter: "
                + command(o.theirsBinary().toString(), "--version")
                        .lines()
                        .findFirst()
                        .orElse("?"));
        out.add("load average at start: " + read(Path.of("/proc/loadavg")).strip());
        return out;
    }

    private static String firstValue(Path file, String key) {
        return read(file)
                .lines()
                .filter(l -> l.startsWith(key))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst()
                .orElse("?");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "?";
        }
    }

    static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
