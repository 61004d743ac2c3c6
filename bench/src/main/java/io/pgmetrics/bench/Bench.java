package io.pgmetrics.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgmetrics-exporter against postgres_exporter, side by side, in one run, on one PostgreSQL:
 * scrape latency, scale (databases, tables), memory, load on the database, concurrent scrapers,
 * and the agent's cost to a host application. Prints a table; a program, not a test.
 *
 * <p>{@code java -jar bench/target/pgmetrics-bench.jar [--quick] [--scrapes=N] [--databases=1,100,1000]
 * [--tables=10000] [--pg=15]}; {@code java -jar bench/target/pgmetrics-bench.jar jmh [JMH options]}
 * runs the JMH benchmarks instead, {@code … fleet [--servers=50]} the fleet through /probe ({@link FleetBench}).
 */
public final class Bench {

    static final String OURS_ROLE = "bench_ours";
    static final String THEIRS_ROLE = "bench_theirs";

    /**
     * Our collectors that do the work postgres_exporter 0.11.1 does by default (its built-in
     * legacy metrics, the database and bgwriter collectors) plus the two table collectors it runs
     * from the custom-queries file. Every other collector of ours is switched off.
     */
    static final Set<String> EQUIVALENT_COLLECTORS = Set.of(
            "database",
            "locks",
            "replication_slots",
            "settings",
            "stat_activity",
            "stat_archiver",
            "stat_bgwriter",
            "stat_database",
            "stat_database_conflicts",
            "stat_replication",
            "static",
            "stat_user_tables",
            "statio_user_tables");

    /** JVM flags used when the exporter's launcher script is not there (the launcher's own are preferred). */
    static final List<String> FALLBACK_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=64m");

    /** Tables in each database made from the template (one with an index): database-scoped queries have rows to map. */
    static final int TABLES_PER_DATABASE = 2;

    /** Tables of the monitored database itself (postgres): a small application's. */
    static final int POSTGRES_TABLES = 20;

    private final Options o;
    private final Report report;
    private BenchServer server;
    private DbLoad load;
    private final Scrapes scrapes = new Scrapes();

    private Bench(Options o) {
        this.o = o;
        this.report = new Report();
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("fleet")) {
            FleetBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options o = Options.parse(args);
        new Bench(o).run();
    }

    private void run() throws Exception {
        Files.createDirectories(o.work());
        report.machine(Machine.describe(o));
        report.ourConnectionCap(ourConnectionCap());
        log("work folder " + o.work());
        int maxDatabases =
                o.databaseCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
        server =
                BenchServer.start(o.pgMajor(), BenchServer.binariesDirectory(), o.work(), maxDatabases + 100, o.auth());
        log("PostgreSQL " + o.pgMajor() + " on port " + server.port() + ", " + o.auth().method + " authentication");
        report.note("PostgreSQL: " + server.queryText("SELECT version()"));
        server.sql("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        server.createMonitorRole(OURS_ROLE);
        server.createMonitorRole(THEIRS_ROLE);
        report.note("authentication of both exporters' roles (pg_hba.conf, TCP on 127.0.0.1): "
                + server.authMethodOf(OURS_ROLE) + " / " + server.authMethodOf(THEIRS_ROLE)
                + ", passwords stored as SCRAM-SHA-256 verifiers"
                + (o.auth() == BenchServer.Auth.TRUST
                        ? " (--auth=trust: no password is checked, new connections cost less than in production)"
                        : ""));
        prepareTemplate();
        Path theirsQueries = o.work().resolve("postgres_exporter-queries.yaml");
        try (InputStream in = Bench.class.getResourceAsStream("postgres_exporter-queries.yaml")) {
            Files.write(theirsQueries, in.readAllBytes());
        }
        if (o.agentOnly()) {
            report.agent(new AgentCost(o, server, scrapes).measure(switchedOff()));
            finish();
            return;
        }
        load = new DbLoad(server, List.of(OURS_ROLE, THEIRS_ROLE));
        try (ExporterProcess ours = startOurs();
                ExporterProcess theirs = startTheirs(theirsQueries)) {
            report.note("ours: " + String.join(" ", ours.command));
            report.note("theirs: " + String.join(" ", theirs.command));
            report.note(
                    o.paceMillis() > 0
                            ? "one-scraper rows: a round (one scrape of each exporter, in turn) starts at most every "
                                    + o.paceMillis()
                                    + " ms (--pace-ms; Prometheus scrapes a target every 15 s by default)"
                            : "one-scraper rows: scrapes back to back (--pace-ms=0)");
            measureSerial("1 database", ours, theirs, o.warmup(), o.scrapes());
            if (o.concurrent()) {
                measureConcurrent(ours, theirs);
            }
            report.memory("after the 1-database rows", ours, theirs);
            if (o.agent()) {
                // on the one-database server, so the agent does the work of the first row
                report.agent(new AgentCost(o, server, scrapes).measure(switchedOff()));
            }
            int databases = 1;
            boolean tablesDone = o.tables() <= 0;
            for (int target : o.databaseCounts()) {
                if (target <= 1) {
                    continue;
                }
                if (target > 4 && !tablesDone) {
                    // after the small rows, so that the memory read at 3 databases has not seen 300,000-series scrapes
                    measureTables(ours, theirs, databases);
                    tablesDone = true;
                }
                target = createDatabases(databases, target);
                databases = target;
                boolean small = databases <= 4;
                measureSerial(
                        databases + " databases",
                        ours,
                        theirs,
                        small ? o.warmup() : 2,
                        small ? o.scrapes() : target >= 1000 ? Math.max(3, o.scaleScrapes() / 2) : o.scaleScrapes());
                if (databases == 3) {
                    scrapeOursUntil(ours, o.memoryScrapes());
                    report.memory(
                            String.format("after %,d scrapes of ours at 3 databases", oursScrapesAtThree),
                            ours,
                            theirs);
                }
            }
            if (!tablesDone) {
                measureTables(ours, theirs, databases);
            }
            report.memory("after the run", ours, theirs);
            report.heap(ours.heapInfo());
        } catch (Exception e) {
            report.note("the run stopped early: " + e);
            throw e;
        } finally {
            load.close();
            finish();
        }
    }

    private void finish() throws IOException {
        server.close();
        String text = report.render();
        System.out.println(text);
        Path out = o.work().resolve("results.md");
        Files.writeString(out, text, StandardCharsets.UTF_8);
        log("written to " + out);
    }

    /** Scrapes of ours since the server had 3 databases (warm-up and timed ones included). */
    private int oursScrapesAtThree;

    /** Scrapes ours alone, back to back, until it has been scraped {@code total} times at 3 databases. */
    private void scrapeOursUntil(ExporterProcess ours, int total) {
        int more = Math.max(0, total - oursScrapesAtThree);
        log("3 databases: " + more + " more scrapes of ours before reading its memory");
        AtomicInteger failures = new AtomicInteger();
        scrapes.interleaved(List.of(ours.metricsUri()), more, 0, failures);
        oursScrapesAtThree += more;
        if (failures.get() > 0) {
            report.note(failures.get() + " of the scrapes of ours before the memory reading at 3 databases failed");
        }
    }

    private void measureTables(ExporterProcess ours, ExporterProcess theirs, int databases) throws Exception {
        createTables(o.tables());
        String others = databases == 1 ? "postgres" : databases + " small";
        measureSerial(
                String.format("%,d tables in 1 database (+ %s)", o.tables(), others),
                ours,
                theirs,
                2,
                o.scaleScrapes());
        dropTables();
    }

    // ---- exporters ----

    private ExporterProcess startOurs() throws IOException, InterruptedException {
        int port = ExporterProcess.freePort();
        List<String> cmd = new ArrayList<>();
        if (Files.isRegularFile(o.launcher())) {
            cmd.add("sh");
            cmd.add(o.launcher().toString());
        } else {
            cmd.add(javaBinary());
            cmd.addAll(FALLBACK_JVM_FLAGS);
            cmd.add("-jar");
            cmd.add(o.exporterJar().toString());
        }
        cmd.add("--web.listen-address=127.0.0.1:" + port);
        cmd.add("--log.level=warn");
        if (o.oursMaxConnections() > 0) {
            cmd.add("--pgmetrics.max-connections=" + o.oursMaxConnections());
        }
        // every table, as postgres_exporter reads them (ours stops at 1,000 per database by default)
        cmd.add("--collector.stat_user_tables.limit=1000000");
        cmd.add("--collector.statio_user_tables.limit=1000000");
        for (String c : switchedOff()) {
            cmd.add("--no-collector." + c);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATA_SOURCE_NAME", server.dsn(OURS_ROLE, "postgres"));
        ExporterProcess p = ExporterProcess.start(
                "pgmetrics-exporter", cmd, env, port, o.work().resolve("ours.log"));
        log("ours: pid " + p.pid() + " on port " + port);
        return p;
    }

    private ExporterProcess startTheirs(Path queries) throws IOException, InterruptedException {
        int port = ExporterProcess.freePort();
        List<String> cmd = List.of(
                o.theirsBinary().toString(),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn",
                "--auto-discover-databases",
                "--extend.query-path=" + queries);
        ExporterProcess p = ExporterProcess.start(
                "postgres_exporter",
                cmd,
                Map.of("DATA_SOURCE_NAME", server.dsn(THEIRS_ROLE, "postgres")),
                port,
                o.work().resolve("theirs.log"));
        log("theirs: pid " + p.pid() + " on port " + port);
        return p;
    }

    /** Our collectors outside {@link #EQUIVALENT_COLLECTORS}. */
    List<String> switchedOff() throws IOException, InterruptedException {
        return ourCollectors().stream()
                .filter(c -> !EQUIVALENT_COLLECTORS.contains(c))
                .toList();
    }

    private String help;

    /** Our exporter's --help. */
    private String ourHelp() throws IOException, InterruptedException {
        if (help == null) {
            Process p = new ProcessBuilder(javaBinary(), "-jar", o.exporterJar().toString(), "--help")
                    .redirectErrorStream(true)
                    .start();
            help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
        }
        return help;
    }

    /** Our connection cap in this run: --ours-max-connections, else the default its --help states. */
    private int ourConnectionCap() throws IOException, InterruptedException {
        if (o.oursMaxConnections() > 0) {
            return o.oursMaxConnections();
        }
        Matcher m = Pattern.compile("--pgmetrics\\.max-connections=.*?\\(default: (\\d+)\\)", Pattern.DOTALL)
                .matcher(ourHelp());
        if (!m.find()) {
            throw new IOException("no default of --pgmetrics.max-connections in the exporter's --help");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The collector names our exporter knows, from its --help (so that new collectors are switched off too). */
    private List<String> ourCollectors() throws IOException, InterruptedException {
        String help = ourHelp();
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("--\\[no-]collector\\.([a-z0-9_]+)(?![.a-z0-9_])")
                .matcher(help);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.isEmpty()) {
            throw new IOException("no --[no-]collector.* flags in the exporter's --help: " + help);
        }
        return List.copyOf(names);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---- measurements ----

    private void measureSerial(String scenario, ExporterProcess ours, ExporterProcess theirs, int warmup, int rounds)
            throws Exception {
        log(scenario + ": warm-up " + warmup + ", then " + rounds + " scrapes each");
        boolean withTheirs = Report.databases(scenario) <= o.theirsUpTo();
        List<URI> targets = withTheirs ? List.of(ours.metricsUri(), theirs.metricsUri()) : List.of(ours.metricsUri());
        if (!withTheirs) {
            report.note(scenario + ": ours alone (--theirs-up-to=" + o.theirsUpTo() + ")");
        }
        String oursText = textOf(ours, scenario);
        String theirsText = withTheirs ? textOf(theirs, scenario) : "";
        AtomicInteger ignored = new AtomicInteger();
        scrapes.interleaved(targets, warmup, o.paceMillis(), ignored);
        String loadBefore = ProcStat.loadAverage();
        Map<String, DbLoad.Usage> before = load.snapshot();
        load.takeMaxBackends();
        long oursCpu0 = ours.cpuTicks();
        long theirsCpu0 = theirs.cpuTicks();
        Map<String, Long> oursThreads0 = ProcStat.threadNanos(ours.pid());
        Instant t0 = Instant.now();
        AtomicInteger failures = new AtomicInteger();
        List<List<Double>> ms = new ArrayList<>(scrapes.interleaved(targets, rounds, o.paceMillis(), failures));
        if (!withTheirs) {
            ms.add(List.of());
        }
        Duration took = Duration.between(t0, Instant.now());
        long oursCpu = ours.cpuTicks() - oursCpu0;
        long theirsCpu = theirs.cpuTicks() - theirsCpu0;
        Map<String, Long> oursThreads = ProcStat.threadNanos(ours.pid());
        Map<String, DbLoad.Usage> after = load.snapshot();
        Map<String, Integer> backends = load.takeMaxBackends();
        String loadAfter = ProcStat.loadAverage();
        if (Report.databases(scenario) >= 100) {
            // the first scrape came right after the databases were made; whether every database is there in
            // steady state shows in a scrape after the timed ones
            report.note(scenario + ": table rows in ours' first scrape after the databases were made: "
                    + completeness(oursText));
            oursText = textOf(ours, scenario);
        }
        if (scenario.equals("3 databases")) {
            oursScrapesAtThree += 1 + warmup + rounds; // the one read as text, the warm-up and the timed ones
        }
        Report.Side o1 = new Report.Side(
                Latencies.of(ms.get(0), rounds - ms.get(0).size()),
                Scrapes.series(oursText),
                after.get(OURS_ROLE).minus(before.get(OURS_ROLE)),
                backends.getOrDefault(OURS_ROLE, 0),
                oursCpu,
                rounds,
                completeness(oursText));
        Report.Side t1 = new Report.Side(
                Latencies.of(ms.get(1), withTheirs ? rounds - ms.get(1).size() : 0),
                Scrapes.series(theirsText),
                after.get(THEIRS_ROLE).minus(before.get(THEIRS_ROLE)),
                backends.getOrDefault(THEIRS_ROLE, 0),
                theirsCpu,
                rounds,
                completeness(theirsText));
        report.serial(scenario, o1, t1, loadBefore + " → " + loadAfter, took);
        report.note(scenario + ": ours' CPU by thread, ms per scrape (schedstat, " + rounds + " scrapes): "
                + ProcStat.perScrapeByThread(oursThreads0, oursThreads, rounds));
        if (o1.db().connections() > 0) {
            report.note(scenario + ": connections opened by ours per application_name over " + rounds + " scrapes ("
                    + took.toSeconds() + " s): " + o1.db().byApplication());
        }
        log(scenario + ": ours " + o1.latency() + ", theirs " + t1.latency() + ", load " + loadBefore + " → "
                + loadAfter);
    }

    /** One scrape's body; empty (and a note) when it failed, e.g. took longer than the client's 60 s. */
    private String textOf(ExporterProcess e, String scenario) {
        try {
            return scrapes.text(e.metricsUri());
        } catch (IOException ex) {
            report.note(scenario + ": the first scrape of " + e.name + " failed: " + ex);
            return "";
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Table rows seen in one scrape (pg_stat_user_tables_seq_scan series), to show both read everything. */
    private static long completeness(String exposition) {
        return exposition
                .lines()
                .filter(l -> l.startsWith("pg_stat_user_tables_seq_scan{"))
                .count();
    }

    private void measureConcurrent(ExporterProcess ours, ExporterProcess theirs) throws Exception {
        for (ExporterProcess e : List.of(ours, theirs)) {
            log(o.concurrentScrapers() + " concurrent scrapers × " + o.concurrentEach() + " on " + e.name);
            String loadBefore = ProcStat.loadAverage();
            Map<String, DbLoad.Usage> before = load.snapshot();
            load.takeMaxBackends();
            AtomicInteger failures = new AtomicInteger();
            List<Double> ms = scrapes.concurrent(e.metricsUri(), o.concurrentScrapers(), o.concurrentEach(), failures);
            Map<String, DbLoad.Usage> after = load.snapshot();
            Map<String, Integer> backends = load.takeMaxBackends();
            String role = e == ours ? OURS_ROLE : THEIRS_ROLE;
            int total = o.concurrentScrapers() * o.concurrentEach();
            report.concurrent(
                    e.name,
                    Latencies.of(ms, failures.get()),
                    total,
                    after.get(role).minus(before.get(role)),
                    backends.getOrDefault(role, 0),
                    loadBefore + " → " + ProcStat.loadAverage());
        }
    }

    // ---- database setup ----

    /** A small template for the scaled databases (two tables, one with an index and rows), and 20 tables in postgres. */
    private void prepareTemplate() throws SQLException {
        server.sql("postgres", "CREATE DATABASE bench_template");
        server.sql(
                "bench_template",
                "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, balance numeric)",
                "INSERT INTO accounts SELECT g, 'owner ' || g, g * 1.5 FROM generate_series(1, 100) g",
                "CREATE TABLE events (at timestamptz, kind text)",
                "ANALYZE");
        server.sql("postgres", "ALTER DATABASE bench_template WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
        // the monitored database itself: a small application's 20 tables
        server.sql(
                "postgres",
                "DO $$ BEGIN FOR i IN 1.." + POSTGRES_TABLES + " LOOP"
                        + " EXECUTE format('CREATE TABLE public.app_%s (id bigint PRIMARY KEY, v text)', i);"
                        + " EXECUTE format('INSERT INTO public.app_%s SELECT g, g::text FROM generate_series(1, 100) g', i);"
                        + " END LOOP; END $$",
                "ANALYZE");
    }

    /**
     * Creates databases until there are {@code target} (the postgres database counts as one), two
     * at a time, from the small template with FILE_COPY. If the first hundred show that
     * {@code target} would take more than {@link Options#setupBudget()}, stops at what fits and
     * says so.
     */
    private int createDatabases(int existing, int target) throws Exception {
        log("creating databases " + (existing + 1) + ".." + target);
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int goal = target;
        int created = existing;
        try {
            while (created < goal) {
                int batchEnd = Math.min(goal, created + 100);
                List<Future<?>> futures = new ArrayList<>();
                for (int i = created + 1; i <= batchEnd; i++) {
                    String name = String.format("bench_db_%04d", i);
                    futures.add(pool.submit(() -> {
                        server.sql(
                                "postgres", "CREATE DATABASE " + name + " TEMPLATE bench_template STRATEGY FILE_COPY");
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                int made = batchEnd - existing;
                created = batchEnd;
                double perDb = (System.nanoTime() - t0) / 1e9 / made;
                double projected = perDb * (goal - existing);
                if (goal == target && projected > o.setupBudget().toSeconds() && goal > 300) {
                    goal = Math.max(created, 300);
                    report.note(String.format(
                            "creating %d databases would take about %.0f s here (%.0f ms each):"
                                    + " measured %d instead",
                            target, projected, perDb * 1000, goal));
                }
            }
        } finally {
            pool.shutdown();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        report.note(String.format(
                "created %d databases in %.1f s (%.0f ms each, two at a time, FILE_COPY from a %d-table template)",
                created - existing, secs, secs * 1000 / Math.max(1, created - existing), TABLES_PER_DATABASE));
        return created;
    }

    /**
     * {@code n} tables (each with a primary key) in a database of their own, made by one DO block.
     * Their own database because each of our queries reads at most 10,000 rows per database by
     * default (max_rows), and the postgres database already has 20 tables.
     */
    private void createTables(int n) throws SQLException {
        log("creating " + n + " tables");
        long t0 = System.nanoTime();
        server.sql("postgres", "CREATE DATABASE bench_tables");
        try (Connection c = server.superuser("bench_tables");
                Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN FOR i IN 1.." + n + " LOOP "
                    + "EXECUTE format('CREATE TABLE public.t%s (id int PRIMARY KEY, v int)', i); END LOOP; END $$");
        }
        report.note(String.format(
                "created %d tables (each with a primary key) in one DO block in %.1f s",
                n, (System.nanoTime() - t0) / 1e9));
    }

    private void dropTables() throws SQLException {
        server.sql("postgres", "DROP DATABASE bench_tables WITH (FORCE)");
    }

    static void log(String message) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }
}
