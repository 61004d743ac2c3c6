package io.pgmetrics.exporter.scrape;

import static io.pgmetrics.core.sample.MetricType.COUNTER;
import static io.pgmetrics.core.sample.MetricType.GAUGE;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.internal.engine.FamilySet;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.exporter.BuildInfo;
import io.pgmetrics.exporter.probe.ProbeTargets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds one response: collects the targets in parallel within the budget, applies the legacy
 * output rules, and adds the exporter's own metrics (postgres_exporter's names).
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Scraper {

    private static final System.Logger LOG = System.getLogger(Scraper.class.getName());

    private final MetaState meta;
    private final ExecutorService pool;

    public Scraper(MetaState meta, ExecutorService pool) {
        this.meta = meta;
        this.pool = pool;
    }

    /** The families of {@code /metrics}: every configured target and all meta metrics. */
    public List<MetricFamily> metrics(Generation g, Duration budget) {
        long t0 = System.nanoTime();
        List<CollectionResult> collections = collectAll(g.targets, budget);
        List<List<MetricFamily>> parts = new ArrayList<>(g.targets.size() + 1);
        boolean error = addTargets(g, g.targets, collections, parts);
        double seconds = (System.nanoTime() - t0) / 1e9;
        meta.lastScrapeSeconds = seconds;
        meta.lastScrapeError = error;
        long scrapes = meta.scrapes.incrementAndGet();
        Labels base = Labels.of(g.config.queries().constantLabels());
        FamilySet out = new FamilySet();
        legacyMeta(out, base, seconds, error, scrapes);
        if (g.targets.isEmpty()) {
            out.add("pg_up", GAUGE, "Whether the last scrape could connect to the database (1) or not (0).", base, 0);
        }
        for (Catalogs.FileStatus f : meta.files) {
            out.add(
                    "pg_exporter_user_queries_load_error",
                    GAUGE,
                    "Whether the user queries file was loaded and parsed successfully (1 = error, 0 = success).",
                    base.with("filename", f.filename()).with("hashsum", f.hashsum()),
                    f.failed() ? 1 : 0);
        }
        out.add(
                "postgres_exporter_config_last_reload_successful",
                GAUGE,
                "Postgres exporter config loaded successfully.",
                base,
                meta.lastReloadSuccessful ? 1 : 0);
        out.add(
                "postgres_exporter_config_last_reload_success_timestamp_seconds",
                GAUGE,
                "Timestamp of the last successful configuration reload.",
                base,
                meta.lastReloadSuccessSeconds);
        out.add(
                "postgres_exporter_build_info",
                GAUGE,
                "A metric with a constant '1' value labeled by version, revision, branch, goversion from which postgres_exporter was built, and the goos and goarch for the build.",
                base.merge(Labels.of(
                        "version",
                        BuildInfo.VERSION,
                        "revision",
                        BuildInfo.REVISION,
                        "branch",
                        "",
                        "goversion",
                        "java" + System.getProperty("java.version"),
                        "goos",
                        GOOS,
                        "goarch",
                        GOARCH,
                        "tags",
                        "")),
                1);
        ProcessMetrics.addTo(out, base);
        if (g.config.probe().enabled()) {
            probeStats(out, base, g.probes.stats());
        }
        return join(parts, out);
    }

    /**
     * The targets' families and the exporter's own, sorted by name. The targets' series were checked
     * for repeats when they were collected: copying them series by series into {@code own} again
     * would cost a scrape a hash entry per series. Only families whose names meet (several targets,
     * the exporter's own, or the output rules' renaming) are merged series by series, targets first.
     */
    static List<MetricFamily> join(List<List<MetricFamily>> targets, FamilySet own) {
        List<List<MetricFamily>> parts = new ArrayList<>(targets);
        parts.add(own.build());
        return FamilySet.merge(parts);
    }

    private static boolean hasError(CollectionResult c) {
        return !c.up() || c.error().isPresent() || !c.failures().isEmpty();
    }

    /** The families of {@code /probe}: one target, the legacy meta metrics of that scrape, no process metrics. */
    public List<MetricFamily> probe(Generation g, Target target, Duration budget) {
        long t0 = System.nanoTime();
        CollectionResult c = target.collect(budget);
        List<List<MetricFamily>> parts = new ArrayList<>(1);
        boolean error = addTargets(g, List.of(target), List.of(c), parts);
        FamilySet out = new FamilySet();
        Labels base = Labels.of(g.config.queries().constantLabels());
        out.add(
                "pg_exporter_last_scrape_duration_seconds",
                GAUGE,
                "Duration of the last scrape of metrics from PostgreSQL.",
                base,
                (System.nanoTime() - t0) / 1e9);
        out.add(
                "pg_exporter_last_scrape_error",
                GAUGE,
                "Whether the last scrape of metrics from PostgreSQL resulted in an error (1 for error, 0 for success).",
                base,
                error ? 1 : 0);
        return join(parts, out);
    }

    private static void probeStats(FamilySet out, Labels base, ProbeTargets.Stats s) {
        out.add("pgmetrics_probe_targets", GAUGE, "/probe targets whose connections are kept.", base, s.targets());
        out.add(
                "pgmetrics_probe_connections",
                GAUGE,
                "Connections open to the kept /probe targets.",
                base,
                s.connections());
        out.add(
                "pgmetrics_probe_evictions_total",
                COUNTER,
                "/probe targets closed for idleness or to make room.",
                base,
                s.evictions());
    }

    private void legacyMeta(FamilySet out, Labels base, double seconds, boolean error, long scrapes) {
        out.add(
                "pg_exporter_last_scrape_duration_seconds",
                GAUGE,
                "Duration of the last scrape of metrics from PostgreSQL.",
                base,
                seconds);
        out.add(
                "pg_exporter_last_scrape_error",
                GAUGE,
                "Whether the last scrape of metrics from PostgreSQL resulted in an error (1 for error, 0 for success).",
                base,
                error ? 1 : 0);
        out.add(
                "pg_exporter_scrapes_total",
                COUNTER,
                "Total number of times PostgreSQL was scraped for metrics.",
                base,
                scrapes);
    }

    /** Adds each target's families (pg_static comes from the catalog); returns whether any target had an error. */
    private static boolean addTargets(
            Generation g, List<Target> targets, List<CollectionResult> collections, List<List<MetricFamily>> parts) {
        boolean error = false;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            CollectionResult c = collections.get(i);
            if (c == null) {
                error = true;
                continue;
            }
            error |= hasError(c);
            parts.add(g.rules.apply(c.families(), t.server()));
        }
        return error;
    }

    private List<CollectionResult> collectAll(List<Target> targets, Duration budget) {
        if (targets.size() == 1) {
            return List.of(targets.get(0).collect(budget));
        }
        List<CompletableFuture<CollectionResult>> futures = new ArrayList<>();
        for (Target t : targets) {
            futures.add(CompletableFuture.supplyAsync(() -> t.collect(budget), pool));
        }
        List<CollectionResult> out = new ArrayList<>();
        long deadline = System.nanoTime() + budget.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(null);
            } catch (Exception e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "collection of " + targets.get(i).redacted() + " did not finish: " + e);
                out.add(null);
            }
        }
        return out;
    }

    private static final String GOOS = goos();
    private static final String GOARCH = goarch();

    private static String goos() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : os;
    }

    private static String goarch() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
