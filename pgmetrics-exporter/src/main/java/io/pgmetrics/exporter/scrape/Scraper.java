package io.pgmetrics.exporter.scrape;

import static io.pgmetrics.core.sample.MetricType.COUNTER;
import static io.pgmetrics.core.sample.MetricType.GAUGE;

import io.pgmetrics.core.engine.Collection;
import io.pgmetrics.core.engine.FamilySet;
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
        List<Collection> collections = collectAll(g.targets, budget);
        FamilySet out = new FamilySet();
        List<MetricFamily> single = g.targets.size() == 1 && collections.get(0) != null
                ? g.rules.apply(collections.get(0).families(), g.targets.get(0).server())
                : null;
        boolean error = single != null ? hasError(collections.get(0)) : addTargets(g, g.targets, collections, out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        meta.lastScrapeSeconds = seconds;
        meta.lastScrapeError = error;
        long scrapes = meta.scrapes.incrementAndGet();
        Labels base = Labels.of(g.config.queries().constantLabels());
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
                        goos(),
                        "goarch",
                        goarch(),
                        "tags",
                        "")),
                1);
        ProcessMetrics.addTo(out, base);
        if (g.config.probe().enabled()) {
            probeStats(out, base, g.probes.stats());
        }
        return single == null ? out.build() : join(single, out);
    }

    /**
     * One target's families and the exporter's own, sorted by name. The target's series were checked
     * for repeats when it collected them: copying them series by series into {@code own} again
     * would cost a scrape a hash entry per series. Only when a name is in both lists (or twice, after
     * the output rules' renaming) is everything merged series by series, as for several targets.
     */
    static List<MetricFamily> join(List<MetricFamily> target, FamilySet own) {
        List<MetricFamily> out = new ArrayList<>(target.size() + 16);
        out.addAll(target);
        out.addAll(own.build());
        out.sort(java.util.Comparator.comparing(MetricFamily::name));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).name().equals(out.get(i - 1).name())) {
                FamilySet merged = new FamilySet(); // the target's series first, as for several targets
                target.forEach(merged::addAll);
                own.build().forEach(merged::addAll);
                return merged.build();
            }
        }
        return out;
    }

    private static boolean hasError(Collection c) {
        return !c.up() || c.error().isPresent() || !c.failures().isEmpty();
    }

    /** The families of {@code /probe}: one target, the legacy meta metrics of that scrape, no process metrics. */
    public List<MetricFamily> probe(Generation g, Target target, Duration budget) {
        long t0 = System.nanoTime();
        Collection c = target.collect(budget);
        FamilySet out = new FamilySet();
        boolean error = addTargets(g, List.of(target), List.of(c), out);
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
        return out.build();
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
    private boolean addTargets(Generation g, List<Target> targets, List<Collection> collections, FamilySet out) {
        boolean error = false;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Collection c = collections.get(i);
            if (c == null) {
                error = true;
                continue;
            }
            error |= hasError(c);
            g.rules.apply(c.families(), t.server()).forEach(out::addAll);
        }
        return error;
    }

    private List<Collection> collectAll(List<Target> targets, Duration budget) {
        if (targets.size() == 1) {
            return List.of(targets.get(0).collect(budget));
        }
        List<CompletableFuture<Collection>> futures = new ArrayList<>();
        for (Target t : targets) {
            futures.add(CompletableFuture.supplyAsync(() -> t.collect(budget), pool));
        }
        List<Collection> out = new ArrayList<>();
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
