package io.pgmetrics.exporter;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.ServerFacts;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.CatalogOverlay;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Variant;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.core.yaml.CnpgQueriesYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.logging.Redaction;
import io.pgmetrics.exporter.scrape.Catalogs;
import io.pgmetrics.exporter.scrape.Generation;
import io.pgmetrics.exporter.scrape.MetaState;
import io.pgmetrics.exporter.scrape.Target;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --dry-run}: what a custom-query author runs before deploying. Loads the configuration
 * (listing every problem of every query file), connects to each target, prints for each query which
 * SQL variant runs and why the others do not (or why the query does not run at all), runs each
 * once and prints the outcome. Exit code 0 when everything worked, 1 otherwise.
 * {@code --dumpmaps}: prints the metric maps (built-in and custom) and exits.
 */
final class DryRun {

    private DryRun() {}

    static int run(ExporterConfig config, PrintStream out) throws ConfigException {
        boolean bad = listFileProblems(config, out);
        if (bad) {
            out.println("FAILED: the custom query files above have errors");
            return Main.FAILED;
        }
        Catalogs.Assembled assembled = Catalogs.assemble(config);
        Generation g = Generation.build(config, new MetaState());
        int failures = 0;
        try {
            out.println("catalog: " + assembled.catalog().queries().size() + " queries in "
                    + assembled.catalog().collectors().size() + " collectors, naming profile "
                    + config.queries().namingProfile().name().toLowerCase(Locale.ROOT));
            for (CatalogOverlay.Replacement r : assembled.replaced()) {
                out.println("REPLACED " + r.describe(config.queries().namingProfile()));
            }
            if (g.targets.isEmpty()) {
                out.println(
                        "FAILED: no target configured (DATA_SOURCE_NAME, DATA_SOURCE_URI, POSTGRES_HOST or targets in --pgmetrics.config)");
                return Main.FAILED;
            }
            for (Target t : g.targets) {
                failures += target(t, config, out);
            }
        } finally {
            g.retire();
        }
        out.println(failures == 0 ? "OK: every planned query ran without error" : "FAILED: " + failures + " error(s)");
        return failures == 0 ? Main.OK : Main.FAILED;
    }

    private static int target(Target t, ExporterConfig config, PrintStream out) {
        out.println();
        out.println("target " + t.server() + " " + t.redacted() + " (from " + t.origin() + ")");
        CollectionResult c = t.collect(config.limits().collectionTimeout());
        if (c.plan().isEmpty()) {
            out.println("  FAILED: cannot connect or plan: "
                    + Redaction.redact(c.error().orElse("unknown error")));
            return 1;
        }
        Plan plan = c.plan().get();
        ServerFacts f = plan.facts();
        out.println("  server: PostgreSQL " + f.version() + (f.inRecovery() ? " (replica)" : " (primary)")
                + ", database " + f.database() + ", extensions " + f.extensions() + ", "
                + f.databases().size() + " databases");
        int failures = 0;
        for (Plan.PlannedQuery pq : plan.planned()) {
            QueryDef q = pq.query();
            out.println("  RUN  " + q.name() + " [collector " + q.collector() + "] variant "
                    + pq.variant().versions() + (pq.databases().isEmpty() ? "" : " in " + pq.databases()));
            for (Variant v : q.variants()) {
                if (!v.equals(pq.variant())) {
                    out.println("       other variant " + v.versions() + ": not for PostgreSQL " + f.version());
                }
            }
            for (QueryOutcome o : c.outcomes()) {
                if (o.query().equals(q.name())) {
                    out.println("       " + o.status()
                            + o.database().map(d -> " in " + d).orElse("") + ": " + o.rows() + " rows in "
                            + o.duration().toMillis() + " ms"
                            + o.message().map(m -> " — " + Redaction.redact(m)).orElse(""));
                    if (o.failed()) {
                        failures++;
                    }
                }
            }
        }
        for (Plan.Skipped s : plan.skipped()) {
            out.println(
                    "  SKIP " + s.query().name() + " [collector " + s.query().collector() + "]: " + s.reason());
        }
        if (c.duplicatesDropped() > 0) {
            out.println("  WARNING: " + c.duplicatesDropped()
                    + " duplicate series dropped (two queries or rows emit the same series)");
        }
        return failures;
    }

    /** Reads each custom query file on its own and prints every problem; true when any has one. */
    private static boolean listFileProblems(ExporterConfig config, PrintStream out) {
        boolean bad = false;
        List<Path> all = new ArrayList<>();
        all.addAll(config.queries().legacyQueryFiles());
        all.addAll(config.queries().cnpgFiles());
        all.addAll(config.queries().catalogFiles());
        for (Path file : all) {
            try {
                if (config.queries().legacyQueryFiles().contains(file)) {
                    LegacyQueriesYaml.read(file);
                } else if (config.queries().cnpgFiles().contains(file)) {
                    CnpgQueriesYaml.read(file);
                } else {
                    CatalogYaml.read(file);
                }
                out.println("query file " + file + ": OK");
            } catch (CatalogException e) {
                bad = true;
                out.println("query file " + file + ": " + e.problems().size() + " problem(s)");
                for (Problem p : e.problems()) {
                    out.println("  " + p);
                }
            }
        }
        return bad;
    }

    static int dumpMaps(ExporterConfig config, PrintStream out) throws ConfigException {
        Catalog catalog = Catalogs.assemble(config).catalog();
        for (QueryDef q : catalog.queries()) {
            out.println(q.name() + " [collector " + q.collector() + ", "
                    + q.scope().name().toLowerCase(Locale.ROOT)
                    + (q.ttl().isZero() ? "" : ", cache " + q.ttl().toSeconds() + "s") + "]");
            for (Variant v : q.variants()) {
                out.println("  variant " + v.versions());
            }
            for (ColumnDef col : q.columns()) {
                out.println("  " + col.name() + ": "
                        + col.usage(config.queries().namingProfile())
                        + (col.usage(config.queries().namingProfile()).name().equals("LABEL")
                                        || col.usage(config.queries().namingProfile())
                                                .name()
                                                .equals("DISCARD")
                                ? ""
                                : " -> " + q.metricName(col, config.queries().namingProfile())));
            }
        }
        return Main.OK;
    }
}
