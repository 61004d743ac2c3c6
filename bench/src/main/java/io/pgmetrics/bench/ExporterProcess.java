package io.pgmetrics.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An exporter running as a child process, listening on 127.0.0.1 on a free port, its output in a
 * file. {@link #pid()} is the process that does the work (the JVM when a launcher script starts
 * one), which is what RSS and CPU are read from.
 */
final class ExporterProcess implements AutoCloseable {

    final String name;
    final int port;
    final List<String> command;
    private final Process process;
    private final long pid;

    private ExporterProcess(String name, int port, List<String> command, Process process, long pid) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.process = process;
        this.pid = pid;
    }

    /**
     * Starts {@code command} (which must contain {@code 127.0.0.1:<port>}) and waits until {@code /metrics} answers 200.
     */
    static ExporterProcess start(String name, List<String> command, Map<String, String> env, int port, Path output)
            throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        ExporterProcess ep = new ExporterProcess(name, port, command, p, findWorker(p, port));
        ep.awaitReady(Duration.ofSeconds(60), output);
        return ep;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    URI metricsUri() {
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    long pid() {
        return pid;
    }

    /** Resident memory now, from /proc/&lt;pid&gt;/status VmRSS (and VmHWM, the peak). */
    long rssKib() throws IOException {
        return statusField("VmRSS:");
    }

    long peakRssKib() throws IOException {
        return statusField("VmHWM:");
    }

    private long statusField(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(
                        line.substring(field.length()).replace("kB", "").strip());
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }

    /** CPU time used so far (user + system), in clock ticks, from /proc/&lt;pid&gt;/stat. */
    long cpuTicks() throws IOException {
        return ProcStat.cpuTicks(pid);
    }

    boolean alive() {
        return process.isAlive();
    }

    private void awaitReady(Duration limit, Path output) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + tail(output));
            }
            try {
                HttpResponse<Void> r = client.send(
                        HttpRequest.newBuilder(metricsUri())
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(
                name + " did not answer on " + metricsUri() + " within " + limit.toSeconds() + " s: " + tail(output));
    }

    private static String tail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /**
     * The process listening for us: the started one, or (when it is a launcher script that does
     * not exec) its descendant whose command line holds the listen address.
     */
    private static long findWorker(Process p, int port) throws InterruptedException {
        String marker = "127.0.0.1:" + port;
        for (int attempt = 0; attempt < 50; attempt++) {
            String own = cmdline(p.pid());
            boolean script = own.matches("^(\\S*/)?(sh|bash|dash) .*");
            if (!own.isEmpty() && !script) {
                return p.pid(); // the program itself, or a launcher that has exec'd it
            }
            List<Long> found = new ArrayList<>();
            p.descendants().forEach(h -> {
                String c = cmdline(h.pid());
                if (c.contains(marker) && c.contains("java")) {
                    found.add(h.pid());
                }
            });
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(100);
        }
        return p.pid();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Our heap, as the JVM reports it: {@code jcmd <pid> GC.heap_info}, first lines. */
    String heapInfo() {
        try {
            Process j = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            j.waitFor(30, TimeUnit.SECONDS);
            try (Stream<String> lines = out.lines()) {
                return String.join(
                        "; ", lines.skip(1).limit(3).map(String::strip).toList());
            }
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
