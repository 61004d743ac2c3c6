package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.CatalogOverlay;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.exporter.BuildInfo;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.KnownCollectors;
import io.pgmetrics.exporter.logging.Redaction;
import io.pgmetrics.exporter.scrape.Catalogs;
import io.pgmetrics.exporter.scrape.Generation;
import io.pgmetrics.exporter.scrape.MetaState;
import io.pgmetrics.exporter.scrape.Target;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code /}: what the exporter is configured to do and how the last scrape of each target went:
 * targets (passwords masked), collectors and each query's last outcome. Built from memory only;
 * it never touches a database, so it answers even when every database is down.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class LandingPage implements HttpHandler {

    private final Supplier<Generation> generations;
    private final MetaState meta;
    private final String transport;

    public LandingPage(Supplier<Generation> generations, MetaState meta, String transport) {
        this.generations = generations;
        this.meta = meta;
        this.transport = transport;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Responses.serve(ex, Set.of("/"), generations, g -> Responses.html(ex, 200, render(g)));
    }

    String render(Generation g) {
        ExporterConfig c = g.config;
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Postgres Exporter</title>\n")
                .append(
                        "<style>body{font-family:sans-serif;margin:1.5em;max-width:80em}table{border-collapse:collapse;margin-bottom:1em}")
                .append("td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}")
                .append(
                        ".OK{color:#070}.FAILED,.TIMED_OUT,.down{color:#b00;font-weight:bold}.SKIPPED,.off{color:#777}</style>\n")
                .append("</head><body>\n<h1>Postgres Exporter</h1>\n<p>pgmetrics-exporter ")
                .append(esc(BuildInfo.VERSION))
                .append(", ")
                .append(esc(transport))
                .append(", naming profile ")
                .append(esc(c.queries().namingProfile().name().toLowerCase()))
                .append(".</p>\n<ul><li><a href=\"")
                .append(esc(c.http().telemetryPath()))
                .append("\">Metrics</a> (")
                .append(esc(c.http().telemetryPath()))
                .append(")</li>\n<li><a href=\"/healthz\">/healthz</a> and <a href=\"/readyz\">/readyz</a></li>\n");
        if (c.probe().enabled()) {
            h.append("<li>/probe?target=&lt;dsn&gt;&amp;auth_module=&lt;name&gt; (auth modules: ")
                    .append(esc(
                            g.authModules.isEmpty()
                                    ? "none"
                                    : String.join(", ", new TreeSet<>(g.authModules.keySet()))))
                    .append(
                            c.probe().allowedTargets().isEmpty()
                                    ? "; any host"
                                    : "; hosts "
                                            + esc(String.join(", ", c.probe().allowedTargets())))
                    .append(")</li>\n");
        }
        h.append("<li>Reload: SIGHUP")
                .append(c.http().enableReload() ? " or POST /-/reload" : "")
                .append("; last reload ")
                .append(meta.lastReloadSuccessful ? "succeeded" : "<span class=\"down\">failed</span>")
                .append("</li></ul>\n");

        h.append("<h2>Targets</h2>\n");
        if (g.targets.isEmpty()) {
            h.append(
                    "<p class=\"down\">No target configured: set DATA_SOURCE_NAME (or DATA_SOURCE_URI, POSTGRES_HOST …) or targets in --pgmetrics.config. pg_up is 0.</p>\n");
        } else {
            h.append(
                    "<table><tr><th>server</th><th>connection (password masked)</th><th>configured by</th><th>last scrape</th><th>up</th><th>error</th></tr>\n");
            for (Target t : g.targets) {
                CollectionResult last = t.last().orElse(null);
                h.append("<tr><td>")
                        .append(esc(t.server()))
                        .append("</td><td><code>")
                        .append(esc(t.redacted()))
                        .append("</code></td><td>")
                        .append(esc(t.origin()))
                        .append("</td><td>")
                        .append(last == null ? "not yet" : ago(last.startedAt()))
                        .append("</td><td>")
                        .append(
                                last == null
                                        ? "?"
                                        : last.up() ? "<span class=\"OK\">1</span>" : "<span class=\"down\">0</span>")
                        .append("</td><td>")
                        .append(last == null ? "" : esc(last.error().orElse("")))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Collectors</h2>\n<table><tr><th>collector</th><th>query</th>");
        for (Target t : g.targets) {
            h.append("<th>last outcome on ").append(esc(t.server())).append("</th>");
        }
        h.append("</tr>\n");
        Map<String, List<QueryDef>> byCollector = Catalogs.byCollector(g.assembled.catalog());
        for (Map.Entry<String, List<QueryDef>> e : byCollector.entrySet()) {
            for (QueryDef q : e.getValue()) {
                h.append("<tr><td>")
                        .append(esc(e.getKey()))
                        .append("</td><td>")
                        .append(esc(q.name()))
                        .append("</td>");
                for (Target t : g.targets) {
                    h.append("<td>").append(outcome(t.last().orElse(null), q)).append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");
        Map<String, Boolean> known = KnownCollectors.of(Catalogs.builtin());
        TreeSet<String> off = new TreeSet<>();
        known.keySet().stream().filter(k -> !byCollector.containsKey(k)).forEach(off::add);
        if (!off.isEmpty()) {
            h.append("<p class=\"off\">Not enabled: ")
                    .append(esc(String.join(", ", off)))
                    .append("</p>\n");
        }
        if (!g.assembled.replaced().isEmpty()) {
            h.append("<h2>Built-in metrics replaced by custom queries</h2>\n<ul>");
            for (CatalogOverlay.Replacement r : g.assembled.replaced()) {
                h.append("<li>")
                        .append(esc(r.describe(g.config.queries().namingProfile())))
                        .append("</li>");
            }
            h.append("</ul>\n");
        }
        if (!meta.files.isEmpty()) {
            h.append("<h2>Custom query files</h2>\n<ul>");
            for (Catalogs.FileStatus f : meta.files) {
                h.append("<li><code>")
                        .append(esc(f.filename()))
                        .append("</code> ")
                        .append(f.failed() ? "<span class=\"down\">failed to load</span>" : "loaded")
                        .append(" (sha256 ")
                        .append(esc(
                                f.hashsum().isEmpty()
                                        ? "-"
                                        : f.hashsum()
                                                .substring(
                                                        0,
                                                        Math.min(12, f.hashsum().length()))))
                        .append(")</li>");
            }
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String outcome(CollectionResult last, QueryDef q) {
        if (last == null) {
            return "not run yet";
        }
        if (last.plan().isPresent()) {
            for (Plan.Skipped s : last.plan().get().skipped()) {
                if (s.query().name().equals(q.name())) {
                    return "<span class=\"SKIPPED\">not planned: " + esc(s.reason()) + "</span>";
                }
            }
        }
        Map<String, QueryOutcome> mine = new LinkedHashMap<>();
        for (QueryOutcome o : last.outcomes()) {
            if (o.query().equals(q.name())) {
                mine.put(o.database().orElse(""), o);
            }
        }
        if (mine.isEmpty()) {
            return last.up() ? "not run" : "<span class=\"down\">server unreachable</span>";
        }
        StringBuilder b = new StringBuilder();
        for (QueryOutcome o : mine.values()) {
            if (b.length() > 0) {
                b.append("<br>");
            }
            b.append("<span class=\"")
                    .append(o.status())
                    .append("\">")
                    .append(o.status())
                    .append("</span>");
            o.database().ifPresent(d -> b.append(" in ").append(esc(d)));
            b.append(" ")
                    .append(o.duration().toMillis())
                    .append(" ms, ")
                    .append(o.rows())
                    .append(" rows");
            if (o.cached()) {
                b.append(", cached");
            }
            o.message().ifPresent(m -> b.append(": ").append(esc(m)));
        }
        return b.toString();
    }

    private static String ago(Instant at) {
        long s = Duration.between(at, Instant.now()).toSeconds();
        return s < 1 ? "just now" : s + " s ago";
    }

    private static String esc(String s) {
        return Responses.escapeHtml(Redaction.redact(s));
    }
}
