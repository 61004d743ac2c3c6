package io.pgmetrics.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects the figures of one run and renders them as Markdown tables. */
final class Report {

    /**
     * How often our pg_up proves with a new connection that the server accepts logins (the default of
     * --pgmetrics.login-check-interval): the only connections a steady state may open.
     */
    static final int LOGIN_CHECK_INTERVAL_SECONDS = 60;

    /** Our exporter's connection cap: --pgmetrics.max-connections as the run sets it, or its default. */
    private int ourConnectionCap;

    void ourConnectionCap(int cap) {
        this.ourConnectionCap = cap;
    }

    /**
     * One exporter's side of a row.
     *
     * @param series samples in one scrape
     * @param db statements, execution time and connections over the timed scrapes
     * @param maxBackends most backends of its role seen at once
     * @param cpuTicks the exporter process's CPU over the timed scrapes
     * @param scrapes timed scrapes
     * @param tableRows pg_stat_user_tables_seq_scan series in one scrape (a completeness check)
     */
    record Side(
            Latencies latency,
            long series,
            DbLoad.Usage db,
            int maxBackends,
            long cpuTicks,
            int scrapes,
            long tableRows) {
        double perScrape(double v) {
            return v / scrapes;
        }
    }

    private record Serial(String scenario, Side ours, Side theirs, String load, Duration took) {}

    private record Concurrent(
            String exporter, Latencies latency, int scrapes, DbLoad.Usage db, int maxBackends, String load) {}

    private record Memory(String when, long oursRss, long oursPeak, long theirsRss, long theirsPeak, String load) {}

    private final List<String> machine = new ArrayList<>();
    private final List<Serial> serial = new ArrayList<>();
    private final List<Concurrent> concurrent = new ArrayList<>();
    private final List<Memory> memory = new ArrayList<>();
    private AgentCost.Figures agent;
    private final List<String> notes = new ArrayList<>();
    private String heap = "";

    void machine(List<String> lines) {
        machine.addAll(lines);
    }

    void note(String line) {
        notes.add(line);
    }

    void serial(String scenario, Side ours, Side theirs, String load, Duration took) {
        serial.add(new Serial(scenario, ours, theirs, load, took));
    }

    void concurrent(String exporter, Latencies latency, int scrapes, DbLoad.Usage db, int maxBackends, String load) {
        concurrent.add(new Concurrent(exporter, latency, scrapes, db, maxBackends, load));
    }

    void memory(String when, ExporterProcess ours, ExporterProcess theirs) throws IOException {
        memory.add(new Memory(
                when, ours.rssKib(), ours.peakRssKib(), theirs.rssKib(), theirs.peakRssKib(), ProcStat.loadAverage()));
    }

    void heap(String jcmdHeapInfo) {
        heap = jcmdHeapInfo;
    }

    void agent(AgentCost.Figures figures) {
        agent = figures;
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append("### Machine\n\n");
        machine.forEach(l -> b.append("- ").append(l).append('\n'));

        b.append("\n### Scrape latency (one scraper; ours and theirs scraped in turn)\n\n");
        b.append(
                "| scenario | scrapes each | ours median ms | ours p99 ms | theirs median ms | theirs p99 ms | ours/theirs (median) | series ours / theirs | table rows ours / theirs | load avg (1 min) |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Serial s : serial) {
            b.append("| ")
                    .append(s.scenario)
                    .append(" | ")
                    .append(s.ours.scrapes)
                    .append(" | ")
                    .append(Latencies.ms(s.ours.latency().median()))
                    .append(" | ")
                    .append(Latencies.ms(s.ours.latency().p99()))
                    .append(" | ")
                    .append(Latencies.ms(s.theirs.latency().median()))
                    .append(" | ")
                    .append(Latencies.ms(s.theirs.latency().p99()))
                    .append(" | ")
                    .append(ratio(s.ours.latency().median(), s.theirs.latency().median()))
                    .append(" | ")
                    .append(s.ours.series())
                    .append(" / ")
                    .append(s.theirs.series())
                    .append(" | ")
                    .append(s.ours.tableRows())
                    .append(" / ")
                    .append(s.theirs.tableRows())
                    .append(" | ")
                    .append(s.load)
                    .append(" |\n");
            int failed = s.ours.latency().failures() + s.theirs.latency().failures();
            if (failed > 0) {
                notes.add(s.scenario + ": failed scrapes: ours "
                        + s.ours.latency().failures() + ", theirs "
                        + s.theirs.latency().failures());
            }
        }

        b.append("\n### Load on the database and the exporter, per scrape (same runs)\n\n");
        b.append(
                "| scenario | statements ours / theirs | DB execution ms ours / theirs | connections opened ours / theirs | most backends at once ours / theirs | exporter CPU ms ours / theirs |\n");
        b.append("|---|---:|---:|---:|---:|---:|\n");
        for (Serial s : serial) {
            b.append("| ")
                    .append(s.scenario)
                    .append(" | ")
                    .append(f1(s.ours.perScrape(s.ours.db().calls())))
                    .append(" / ")
                    .append(f1(s.theirs.perScrape(s.theirs.db().calls())))
                    .append(" | ")
                    .append(f2(s.ours.perScrape(s.ours.db().execMillis())))
                    .append(" / ")
                    .append(f2(s.theirs.perScrape(s.theirs.db().execMillis())))
                    .append(" | ")
                    .append(f2(s.ours.perScrape(s.ours.db().connections())))
                    .append(" / ")
                    .append(f2(s.theirs.perScrape(s.theirs.db().connections())))
                    .append(" | ")
                    .append(s.ours.maxBackends())
                    .append(" / ")
                    .append(s.theirs.maxBackends())
                    .append(" | ")
                    .append(f1(s.ours.perScrape(s.ours.cpuTicks() * 1000.0 / ProcStat.TICKS_PER_SECOND)))
                    .append(" / ")
                    .append(f1(s.theirs.perScrape(s.theirs.cpuTicks() * 1000.0 / ProcStat.TICKS_PER_SECOND)))
                    .append(" |\n");
        }

        statements(b);

        if (!concurrent.isEmpty()) {
            b.append("\n### Concurrent scrapers (all at once, each scraping again as soon as answered)\n\n");
            b.append(
                    "| exporter | scrapes | median ms | p99 ms | max ms | failed | statements per scrape | connections opened | most backends at once | load avg |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Concurrent c : concurrent) {
                b.append("| ")
                        .append(c.exporter)
                        .append(" | ")
                        .append(c.scrapes)
                        .append(" | ")
                        .append(Latencies.ms(c.latency.median()))
                        .append(" | ")
                        .append(Latencies.ms(c.latency.p99()))
                        .append(" | ")
                        .append(Latencies.ms(c.latency.max()))
                        .append(" | ")
                        .append(c.latency.failures())
                        .append(" | ")
                        .append(f1((double) c.db.calls() / c.scrapes))
                        .append(" | ")
                        .append(c.db.connections())
                        .append(" | ")
                        .append(c.maxBackends)
                        .append(" | ")
                        .append(c.load)
                        .append(" |\n");
            }
        }

        b.append("\n### Memory (VmRSS, and VmHWM = peak, from /proc/<pid>/status)\n\n");
        b.append(
                "| when | ours RSS MiB | ours peak MiB | theirs RSS MiB | theirs peak MiB | load avg |\n|---|---:|---:|---:|---:|---|\n");
        for (Memory m : memory) {
            b.append("| ")
                    .append(m.when)
                    .append(" | ")
                    .append(mib(m.oursRss))
                    .append(" | ")
                    .append(mib(m.oursPeak))
                    .append(" | ")
                    .append(mib(m.theirsRss))
                    .append(" | ")
                    .append(mib(m.theirsPeak))
                    .append(" | ")
                    .append(m.load)
                    .append(" |\n");
        }
        if (!heap.isEmpty()) {
            b.append("\nOur heap at the end (jcmd GC.heap_info): ").append(heap).append('\n');
        }

        if (agent != null) {
            b.append("\n### The agent's cost to a host application\n\n");
            agent.lines().forEach(l -> b.append("- ").append(l).append('\n'));
        }

        b.append("\n### Targets\n\n");
        targets(b);

        if (!notes.isEmpty()) {
            b.append("\n### Notes\n\n");
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    /** Statements shown per exporter and row: those that took the most server time. */
    static final int TOP_STATEMENTS = 10;

    /**
     * Per row and exporter, the statements that took the most server time (pg_stat_statements over the
     * timed scrapes), with calls and execution time per scrape: where the two exporters' work differs.
     */
    private void statements(StringBuilder b) {
        b.append("\n### Statements per scrape, top ").append(TOP_STATEMENTS).append(" by server execution time\n");
        for (Serial s : serial) {
            for (Side side : List.of(s.ours, s.theirs)) {
                b.append("\n")
                        .append(s.scenario)
                        .append(", ")
                        .append(side == s.ours ? "ours" : "theirs")
                        .append(" (")
                        .append(f1(side.perScrape(side.db().calls())))
                        .append(" statements, ")
                        .append(f2(side.perScrape(side.db().execMillis())))
                        .append(" ms per scrape):\n\n| statement | calls | ms |\n|---|---:|---:|\n");
                for (var e : side.db().top(TOP_STATEMENTS)) {
                    b.append("| `")
                            .append(e.getKey().replace("|", "\\|").replace("`", "'"))
                            .append("` | ")
                            .append(f2(side.perScrape(e.getValue().calls())))
                            .append(" | ")
                            .append(f2(side.perScrape(e.getValue().execMillis())))
                            .append(" |\n");
                }
            }
        }
    }

    /** The targets, each with what was measured and whether it was met. */
    private void targets(StringBuilder b) {
        b.append("| target | measured | |\n|---|---|---|\n");
        for (Serial s : serial) {
            Double limit = medianRatioLimit(s.scenario);
            double ratio = s.ours.latency().median() / s.theirs.latency().median();
            if (limit != null) {
                target(
                        b,
                        "scrape median ≤ " + limit + "× postgres_exporter's, " + s.scenario,
                        Latencies.ms(s.ours.latency().median()) + " / "
                                + Latencies.ms(s.theirs.latency().median()) + " ms = " + String.format("%.2f×", ratio),
                        ratio <= limit);
            }
        }
        for (Serial s : serial) {
            if (databases(s.scenario) > 0 && databases(s.scenario) <= 4) {
                long opened = s.ours.db().connections();
                long loginChecks = s.took.toSeconds() / LOGIN_CHECK_INTERVAL_SECONDS + 1;
                target(
                        b,
                        "0 connections opened per scrape in steady state, " + s.scenario,
                        opened + " in " + s.ours.scrapes() + " scrapes over " + s.took.toSeconds() + " s ("
                                + f2(s.ours.perScrape(opened))
                                + " per scrape; theirs "
                                + f2(s.theirs.perScrape(s.theirs.db().connections()))
                                + "); pg_up's login check, once a minute, may account for " + loginChecks,
                        opened <= loginChecks);
            }
        }
        for (Serial s : serial) {
            double ours = s.ours.perScrape(s.ours.db().execMillis());
            double theirs = s.theirs.perScrape(s.theirs.db().execMillis());
            target(
                    b,
                    "server execution time per scrape ≤ postgres_exporter's, " + s.scenario,
                    f2(ours) + " / " + f2(theirs) + " ms",
                    ours <= theirs);
        }
        serial.stream()
                .filter(s -> databases(s.scenario) >= 1000)
                .reduce((a, c) -> c)
                .ifPresent(s -> {
                    // in time is not enough: a scrape cut at its deadline answers in time with part of the databases
                    // every table of every database, counted from what the bench made (postgres_exporter may
                    // not answer at all at this size, so its scrape is no reference)
                    long expected =
                            Bench.POSTGRES_TABLES + (long) Bench.TABLES_PER_DATABASE * (databases(s.scenario) - 1);
                    boolean met = s.ours.latency().p99() < 10_000
                            && s.ours.latency().failures() == 0
                            && s.ours.tableRows() >= expected;
                    target(
                            b,
                            s.scenario + " within a 10 s scrape timeout, every database present",
                            "p99 "
                                    + Latencies.ms(s.ours.latency().p99()) + " ms, " + s.ours.tableRows() + " of "
                                    + expected + " table rows in a scrape after the timed ones",
                            met);
                });
        memory.stream()
                .filter(m -> m.when.contains("at 3 databases"))
                .findFirst()
                .ifPresent(m -> {
                    String measured = mib(m.oursRss) + " MiB " + m.when + " (peak " + mib(m.oursPeak) + ")";
                    target(
                            b,
                            "exporter RSS ≤ 64 MiB after 1,000 scrapes of 3 databases",
                            measured,
                            m.oursRss <= 64 * 1024);
                    target(b, "(stretch) ≤ 48 MiB", measured, m.oursRss <= 48 * 1024);
                });
        if (agent != null && !Double.isNaN(agent.rssMib())) {
            target(
                    b,
                    "agent: ≤ 20 MiB of host memory, its own (outside a fixed host heap + its live heap)",
                    String.format("%+.1f MiB", agent.ownMib()),
                    agent.ownMib() <= 20);
            target(
                    b,
                    "agent: ≤ 20 MiB of host RSS, idle host with default JVM flags",
                    String.format("%+.1f MiB", agent.rssMib()),
                    agent.rssMib() <= 20);
            target(
                    b,
                    "agent: ≤ 10 ms of host CPU per scrape of one database, steady state",
                    String.format("%.1f ms", agent.cpuMillisPerScrape()),
                    agent.cpuMillisPerScrape() <= 10);
        }
        int most = Math.max(
                serial.stream().mapToInt(s -> s.ours.maxBackends()).max().orElse(0),
                concurrent.stream()
                        .filter(c -> c.exporter.startsWith("pgmetrics"))
                        .mapToInt(c -> c.maxBackends)
                        .max()
                        .orElse(0));
        target(
                b,
                "backends ≤ our cap (" + ourConnectionCap + ") under any number of scrapers",
                "most seen " + most + " (pg_stat_activity every 20 ms)",
                most <= ourConnectionCap);
    }

    private static void target(StringBuilder b, String target, String measured, boolean met) {
        b.append("| ")
                .append(target)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(met ? "met" : "**missed**")
                .append(" |\n");
    }

    /** The limit on ours/theirs for a row: ½ at 1 and 3 databases, 1 at 100; none for the others. */
    private static Double medianRatioLimit(String scenario) {
        int n = databases(scenario);
        return n == 1 || n == 3 ? Double.valueOf(0.5) : n == 100 ? Double.valueOf(1.0) : null;
    }

    /** The database count of a "N database(s)" row, or 0 for another row. */
    /** ours ÷ theirs, two decimals; "–" when theirs was not scraped ({@code --theirs-up-to}). */
    private static String ratio(double ours, double theirs) {
        return Double.isNaN(theirs) ? "–" : String.format("%.2f", ours / theirs);
    }

    static int databases(String scenario) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^([0-9,]+) databases?$").matcher(scenario);
        return m.matches() ? Integer.parseInt(m.group(1).replace(",", "")) : 0;
    }

    private static String mib(long kib) {
        return String.format("%.1f", kib / 1024.0);
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }
}
