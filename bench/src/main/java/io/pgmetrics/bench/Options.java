package io.pgmetrics.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The harness's settings. Paths are relative to the working directory, which is the project
 * folder when run as documented.
 *
 * @param scrapes timed scrapes of each exporter in the 1- and 3-database rows
 * @param warmup untimed scrapes of each before that
 * @param scaleScrapes timed scrapes of each in the scale rows (half, at least 3, at 1,000 databases)
 * @param concurrentScrapers scrapers at once in the concurrency row
 * @param concurrentEach scrapes by each of them
 * @param databaseCounts the database counts of the scale rows, ascending (1 = the postgres database only)
 * @param tables tables created in one database for the tables row (0: no such row)
 * @param setupBudget longest time creating databases may take before the count is lowered to 300
 * @param concurrent whether to run the concurrent-scrapers row
 * @param agent whether to measure the agent
 * @param oursMaxConnections our exporter's --pgmetrics.max-connections (0: its default, 2)
 * @param paceMillis the one-scraper rows start a round (one scrape of each exporter) at most this often;
 *     0 scrapes back to back
 * @param pgMajor the PostgreSQL major (postgres_exporter 0.11.1 predates 16: 15 keeps all its collectors working)
 * @param auth how the exporters' roles log in
 * @param memoryScrapes scrapes of ours at 3 databases (all rows' scrapes there included) before its RSS is read
 * @param agentOnly measure the agent alone (no exporter rows): for iterating on the agent's cost
 * @param agentHostJvm extra JVM flags of the host application with the agent (e.g. a flight recording)
 * @param theirsUpTo the most databases at which postgres_exporter is scraped too (above: ours alone, e.g. to
 *     iterate at 1,000 databases without its 35–60 s scrapes)
 */
record Options(
        int scrapes,
        int warmup,
        int scaleScrapes,
        int concurrentScrapers,
        int concurrentEach,
        List<Integer> databaseCounts,
        int tables,
        Duration setupBudget,
        int pgMajor,
        Path work,
        Path exporterJar,
        Path launcher,
        Path agentJar,
        Path theirsBinary,
        int agentScrapes,
        boolean concurrent,
        boolean agent,
        int oursMaxConnections,
        int paceMillis,
        BenchServer.Auth auth,
        int memoryScrapes,
        boolean agentOnly,
        List<String> agentHostJvm,
        int theirsUpTo) {

    static Options parse(String[] args) {
        int scrapes = 300;
        int warmup = 20;
        int scaleScrapes = 20;
        int concurrentScrapers = 50;
        int concurrentEach = 6;
        List<Integer> databases = List.of(1, 3, 100, 1000);
        int tables = 10_000;
        int pg = 15;
        Duration budget = Duration.ofMinutes(3);
        int agentScrapes = 100;
        int paceMillis = 250;
        BenchServer.Auth auth = BenchServer.Auth.SCRAM;
        int memoryScrapes = 1000;
        boolean agentOnly = false;
        List<String> agentHostJvm = List.of();
        boolean concurrent = true;
        boolean agent = true;
        int oursMaxConnections = 0;
        int theirsUpTo = Integer.MAX_VALUE;
        for (String a : args) {
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
            if (a.equals("--quick")) {
                // the rows the targets are about, briefly: about two minutes
                scrapes = 40;
                warmup = 5;
                scaleScrapes = 6;
                databases = List.of(1, 3);
                tables = 0;
                concurrent = false;
                agentScrapes = 30;
                memoryScrapes = 200;
            } else if (a.startsWith("--auth=")) {
                auth = BenchServer.Auth.parse(v);
            } else if (a.equals("--agent-only")) {
                agentOnly = true;
            } else if (a.startsWith("--agent-host-jvm=")) {
                agentHostJvm =
                        Arrays.stream(v.split(" ")).filter(f -> !f.isBlank()).toList();
            } else if (a.startsWith("--memory-scrapes=")) {
                memoryScrapes = Integer.parseInt(v);
            } else if (a.startsWith("--warmup=")) {
                warmup = Integer.parseInt(v);
            } else if (a.startsWith("--scrapes=")) {
                scrapes = Integer.parseInt(v);
            } else if (a.startsWith("--scale-scrapes=")) {
                scaleScrapes = Integer.parseInt(v);
            } else if (a.startsWith("--databases=")) {
                databases = Arrays.stream(v.split(","))
                        .map(String::strip)
                        .map(Integer::valueOf)
                        .sorted()
                        .toList();
            } else if (a.startsWith("--tables=")) {
                tables = Integer.parseInt(v);
            } else if (a.startsWith("--pg=")) {
                pg = Integer.parseInt(v);
            } else if (a.equals("--no-concurrent")) {
                concurrent = false;
            } else if (a.equals("--no-agent")) {
                agent = false;
            } else if (a.startsWith("--ours-max-connections=")) {
                oursMaxConnections = Integer.parseInt(v);
            } else if (a.startsWith("--theirs-up-to=")) {
                theirsUpTo = Integer.parseInt(v);
            } else if (a.startsWith("--pace-ms=")) {
                paceMillis = Integer.parseInt(v);
            } else if (a.startsWith("--concurrent=")) {
                concurrentScrapers = Integer.parseInt(v);
            } else {
                throw new IllegalArgumentException(
                        "unknown argument " + a + "; known: --quick --scrapes=N --warmup=N --scale-scrapes=N"
                                + " --databases=1,100,1000 --tables=N --pg=MAJOR --concurrent=N --no-concurrent --no-agent"
                                + " --ours-max-connections=N --theirs-up-to=N --pace-ms=N --auth=scram-sha-256|trust --memory-scrapes=N"
                                + " --agent-only --agent-host-jvm='FLAGS'"
                                + " (or: jmh [JMH options])");
            }
        }
        return new Options(
                scrapes,
                warmup,
                scaleScrapes,
                concurrentScrapers,
                concurrentEach,
                databases,
                tables,
                budget,
                pg,
                Path.of("bench/target/run").toAbsolutePath(),
                Path.of("pgmetrics-exporter/target/pgmetrics-exporter.jar").toAbsolutePath(),
                Path.of("pgmetrics-exporter/bin/pgmetrics-exporter").toAbsolutePath(),
                Path.of("pgmetrics-agent/target/pgmetrics-agent.jar").toAbsolutePath(),
                Path.of("/usr/bin/prometheus-postgres-exporter"),
                agentScrapes,
                concurrent,
                agent,
                oursMaxConnections,
                paceMillis,
                auth,
                memoryScrapes,
                agentOnly,
                agentHostJvm,
                theirsUpTo);
    }
}
