package io.pgmetrics.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code -javaagent:pgmetrics-agent.jar} costs a host application: the time until the host's
 * main method runs, with and without the agent (several starts each, alternating, medians); the
 * resident memory added; and the host process's CPU per scrape of the agent's endpoint, its idle
 * CPU over an equally long quiet period subtracted.
 */
final class AgentCost {

    private static final int STARTS = 7;
    /** How long a host with a fixed heap runs before its RSS is read, with or without the agent. */
    private static final long SETTLE_MILLIS = 10_000;
    /** A heap as containers set it, all of it resident from the start: RSS then shows what is outside it. */
    /** Longer than the agent's native-heap trim interval (NativeHeapTrim, a minute). */
    private static final long TRIM_WAIT_MILLIS = 62_000;

    private static final List<String> SIZED_HEAP = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    static final String ROLE = "bench_agent";

    private final Options o;
    private final BenchServer server;
    private final Scrapes scrapes;

    AgentCost(Options o, BenchServer server, Scrapes scrapes) {
        this.o = o;
        this.server = server;
        this.scrapes = scrapes;
    }

    /**
     * What was measured; {@code lines} describe it, the rest feeds the targets.
     *
     * @param rssMib RSS added to an idle host by the agent once it has served scrapes, MiB (NaN: not measured)
     * @param ownMib the agent's own memory: RSS outside a fixed, pre-touched host heap plus its live heap (NaN: not measured)
     * @param cpuMillisPerScrape host CPU per scrape of the agent, idle CPU subtracted (NaN: not measured)
     */
    record Figures(List<String> lines, double rssMib, double ownMib, double cpuMillisPerScrape) {}

    /** @param switchedOff collectors to turn off in the agent's config file, for the exporter's equivalent work */
    Figures measure(List<String> switchedOff) throws Exception {
        if (!Files.isRegularFile(o.agentJar())) {
            return new Figures(
                    List.of("skipped: " + o.agentJar() + " is absent (build it with mvn -pl pgmetrics-agent -am package"
                            + " -DskipTests)"),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN);
        }
        List<String> lines = new ArrayList<>();
        Bench.log("agent: " + STARTS + " starts with and without it");
        server.createMonitorRole(ROLE);
        Path config = o.work().resolve("agent.yaml");
        StringBuilder yaml = new StringBuilder(
                "# the exporter rows' collectors, so that the agent does the same work\ncollectors:\n");
        switchedOff.forEach(c -> yaml.append("  ").append(c).append(": false\n"));
        Files.writeString(config, yaml);
        String agentArg = "-javaagent:" + o.agentJar() + "=127.0.0.1:%d:" + config;
        if (!o.agentHostJvm().isEmpty()) {
            lines.add("the host with the agent ran with " + String.join(" ", o.agentHostJvm()));
        }
        List<Double> plain = new ArrayList<>();
        List<Double> withAgent = new ArrayList<>();
        long plainRss = 0;
        for (int i = 0; i < STARTS; i++) {
            try (Host h = Host.start(List.of(), server)) {
                plain.add(h.startMillis);
                plainRss = h.rssAfter(2000);
            }
            int port = ExporterProcess.freePort();
            try (Host h = Host.start(withAgent(agentArg, port), server)) {
                withAgent.add(h.startMillis);
                h.awaitMetrics(scrapes, port);
            }
        }
        Latencies p = Latencies.of(plain, 0);
        Latencies a = Latencies.of(withAgent, 0);
        lines.add(String.format(
                "time until the host's main runs (launch to first line, median of %d): %.0f ms without,"
                        + " %.0f ms with the agent: **%+.0f ms**",
                STARTS, p.median(), a.median(), a.median() - p.median()));

        double[] own = sizedHostMemory(agentArg, lines);
        int port = ExporterProcess.freePort();
        try (Host h = Host.start(withAgent(agentArg, port), server)) {
            URI uri = h.awaitMetrics(scrapes, port);
            scrapes.interleaved(List.of(uri), 20, 0, new AtomicInteger()); // warm-up
            double first = cpuPerScrape(
                    h, uri, "scrapes 21 to " + (20 + o.agentScrapes()) + ", the JIT still compiling", lines);
            // Prometheus scrapes every 15 s: a host runs the agent's code compiled after its first hour or so
            scrapes.interleaved(List.of(uri), STEADY_AFTER - 20 - o.agentScrapes(), 0, new AtomicInteger());
            double steady = cpuPerScrape(
                    h,
                    uri,
                    "scrapes " + (STEADY_AFTER + 1) + " to " + (STEADY_AFTER + o.agentScrapes()) + ", steady state",
                    lines);
            long agentRss = h.rssAfter(0);
            double addedMib = (agentRss - plainRss) / 1024.0;
            lines.add(String.format(
                    "idle host: RSS after those scrapes %.1f MiB, vs %.1f MiB without the agent: **%+.1f MiB**"
                            + " (mostly the host's young generation, which the agent's garbage is the first to touch, and the C2"
                            + " compiler's work on what the agent runs)",
                    agentRss / 1024.0, plainRss / 1024.0, addedMib));
            return new Figures(lines, addedMib, own[0] + own[1], Double.isNaN(steady) ? first : steady);
        }
    }

    /** Scrapes before the steady-state CPU window: about 90 minutes of Prometheus's default interval. */
    private static final int STEADY_AFTER = 400;

    /**
     * The host's CPU per scrape over {@code o.agentScrapes()} scrapes back to back, its CPU over an
     * equally long quiet period after subtracted; and which of its threads used it.
     */
    private double cpuPerScrape(Host h, URI uri, String window, List<String> lines) throws Exception {
        AtomicInteger failures = new AtomicInteger();
        java.util.Map<String, Long> threads0 = ProcStat.threadTicks(h.pid());
        long t0 = System.nanoTime();
        long c0 = ProcStat.cpuTicks(h.pid());
        List<List<Double>> ms = scrapes.interleaved(List.of(uri), o.agentScrapes(), 0, failures);
        long busyNanos = System.nanoTime() - t0;
        long busyTicks = ProcStat.cpuTicks(h.pid()) - c0;
        java.util.Map<String, Long> threads1 = ProcStat.threadTicks(h.pid());
        long i0 = ProcStat.cpuTicks(h.pid());
        TimeUnit.NANOSECONDS.sleep(busyNanos);
        long idleTicks = ProcStat.cpuTicks(h.pid()) - i0;
        double perScrapeMs = (busyTicks - idleTicks) * 1000.0 / ProcStat.TICKS_PER_SECOND / o.agentScrapes();
        StringBuilder byThread = new StringBuilder();
        threads1.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(6)
                .forEach(e -> byThread.append(byThread.length() == 0 ? "" : ", ")
                        .append(e.getKey().strip())
                        .append(' ')
                        .append(String.format(
                                "%.1f", e.getValue() * 1000.0 / ProcStat.TICKS_PER_SECOND / o.agentScrapes())));
        lines.add(String.format(
                "host CPU per scrape of the agent (the exporter rows' collectors, %s, back to back, idle CPU"
                        + " subtracted): **%.1f ms**; by thread (ms per scrape): %s; scrape latency %s; idle CPU over %.1f s: %d ms;"
                        + " load %s",
                window,
                perScrapeMs,
                byThread,
                Latencies.of(ms.get(0), failures.get()),
                busyNanos / 1e9,
                idleTicks * 1000 / ProcStat.TICKS_PER_SECOND,
                ProcStat.loadAverage()));
        return perScrapeMs;
    }

    /**
     * The agent's own memory, apart from how the host's heap grows: hosts with a fixed, pre-touched heap
     * (so that its pages are resident with or without the agent) after {@value #SETTLE_MILLIS} ms, the
     * one with the agent serving as many scrapes as the CPU row; then the heap each still uses after a
     * full collection (jcmd GC.run), the agent's live objects. The host with the agent is read twice:
     * right after the scrapes, and {@value #TRIM_WAIT_MILLIS} ms later, when the agent has handed the
     * native memory freed meanwhile back to the kernel (it does so once a minute): the steady state.
     *
     * @return {RSS added outside the heap, live heap added}, MiB
     */
    private double[] sizedHostMemory(String agentArg, List<String> lines) throws Exception {
        long plainRss;
        long plainHeap;
        try (Host h = Host.start(SIZED_HEAP, server)) {
            plainRss = h.rssAfter(SETTLE_MILLIS);
            plainHeap = h.liveHeapKib();
        }
        int port = ExporterProcess.freePort();
        List<String> flags = new ArrayList<>(SIZED_HEAP);
        flags.addAll(withAgent(agentArg, port));
        try (Host h = Host.start(flags, server)) {
            long t0 = System.nanoTime();
            URI uri = h.awaitMetrics(scrapes, port);
            scrapes.interleaved(List.of(uri), 20 + o.agentScrapes(), 0, new AtomicInteger());
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            long justAfter = h.rssAfter(Math.max(0, SETTLE_MILLIS - elapsed));
            long rss = h.rssAfter(TRIM_WAIT_MILLIS);
            long heap = h.liveHeapKib();
            double[] added = {(rss - plainRss) / 1024.0, (heap - plainHeap) / 1024.0};
            lines.add(String.format(
                    "host with a fixed heap (%s): RSS %.1f MiB right after %d scrapes of the agent (%+.1f MiB),"
                            + " %.1f MiB %d s later, vs %.1f MiB"
                            + " without it: **%+.1f MiB** outside the heap; live heap after a full GC %.1f vs %.1f MiB: **%+.1f MiB**;"
                            + " together **%+.1f MiB**",
                    String.join(" ", SIZED_HEAP),
                    justAfter / 1024.0,
                    20 + o.agentScrapes(),
                    (justAfter - plainRss) / 1024.0,
                    rss / 1024.0,
                    TRIM_WAIT_MILLIS / 1000,
                    plainRss / 1024.0,
                    added[0],
                    heap / 1024.0,
                    plainHeap / 1024.0,
                    added[1],
                    added[0] + added[1]));
            return added;
        }
    }

    private List<String> withAgent(String agentArg, int port) {
        List<String> flags = new ArrayList<>(o.agentHostJvm());
        flags.add(String.format(agentArg, port));
        return flags;
    }

    /** The host application, started from the bench jar with the given JVM options. */
    private static final class Host implements AutoCloseable {
        final Process process;
        final double startMillis;

        private Host(Process process, double startMillis) {
            this.process = process;
            this.startMillis = startMillis;
        }

        static Host start(List<String> jvmOptions, BenchServer server) throws IOException, URISyntaxException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Bench.javaBinary());
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(Path.of(HostApp.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
            cmd.add(HostApp.class.getName());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DATA_SOURCE_NAME", server.dsn(ROLE, "postgres"));
            long t0 = System.nanoTime();
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("host ready")) {
                // agent output before main, if any
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (line == null) {
                throw new IOException("the host application ended before its main method ran: " + cmd);
            }
            return new Host(p, ms);
        }

        long pid() {
            return process.pid();
        }

        long rssAfter(long waitMillis) throws IOException, InterruptedException {
            Thread.sleep(waitMillis);
            for (String l : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.substring(6).replace("kB", "").strip());
                }
            }
            return 0;
        }

        /** Heap in use after a full collection, from jcmd (GC.run, then GC.heap_info's first "used"). */
        long liveHeapKib() throws IOException, InterruptedException {
            Machine.command("jcmd", Long.toString(pid()), "GC.run");
            String info = Machine.command("jcmd", Long.toString(pid()), "GC.heap_info");
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
            if (!m.find()) {
                throw new IOException("no heap figure in jcmd GC.heap_info: " + info);
            }
            return Long.parseLong(m.group(1));
        }

        URI awaitMetrics(Scrapes scrapes, int port) throws IOException, InterruptedException {
            URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
            for (int i = 0; i < 300; i++) {
                if (!Double.isNaN(scrapes.once(uri))) {
                    return uri;
                }
                Thread.sleep(100);
            }
            throw new IOException("the agent did not answer on " + uri);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
