package io.pgmetrics.queries;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.Variant;
import io.pgmetrics.core.sample.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes docs/metrics.md, the reference of every metric of the built-in catalog, from the catalog
 * itself. A test fails when the committed file differs from what this renders.
 *
 * <p>Run: {@code java -cp <pgmetrics-queries and its dependencies> io.pgmetrics.queries.MetricsReference docs/metrics.md}
 * (or see the failing test's message for the Maven command).
 */
public final class MetricsReference {

    /** The PostgreSQL majors pgmetrics supports and tests. */
    public static final List<Integer> SUPPORTED_MAJORS = List.of(13, 14, 15, 16, 17, 18);

    private MetricsReference() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: MetricsReference <output file, e.g. docs/metrics.md>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.writeString(out, render(BuiltinCatalog.load()), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The reference of a catalog, as Markdown. */
    public static String render(Catalog catalog) {
        StringBuilder md = new StringBuilder();
        md.append("# Metric reference\n\n");
        md.append("<!-- Generated from the built-in catalog by io.pgmetrics.queries.MetricsReference; do not edit.\n");
        md.append("     Regenerate: mvn -pl pgmetrics-queries -am test -Dtest=MetricsReferenceTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dpgmetrics.docs.write=true -->\n\n");
        md.append("Every metric of pgmetrics' built-in catalog, under both naming profiles:\n\n");
        md.append("- **compat** (the default) keeps postgres_exporter's names, types and labels, odd ones included"
                + " (counters without `_total`, milliseconds, timestamps typed as counters), so dashboards and alert"
                + " rules keep working.\n");
        md.append("- **strict** follows Prometheus' naming rules: counters end in `_total`, values are in base units"
                + " named in the metric (`_seconds`, `_bytes`), timestamps are gauges.\n\n");
        md.append("A dash in a profile's column means the metric does not exist in that profile. *PostgreSQL* gives"
                + " the supported major versions (13 to 18) the metric exists on. A collector is switched with"
                + " `--collector.<name>` / `--no-collector.<name>`; query parameters are set as `<collector>.<name>`."
                + " The engine adds `pg_up`, `pg_scrape_collector_*` and `pgmetrics_*` self-metrics; the exporter adds"
                + " `pg_exporter_*` and the `server` label of the legacy metrics. None of those is listed here.\n\n");
        appendVersionTable(md, catalog);
        appendCollectorTable(md, catalog);
        for (String collector : catalog.collectors()) {
            appendCollector(
                    md,
                    collector,
                    catalog.queries().stream()
                            .filter(q -> q.collector().equals(collector))
                            .toList());
        }
        return md.toString();
    }

    private static void appendVersionTable(StringBuilder md, Catalog catalog) {
        md.append("## Families per PostgreSQL version\n\n");
        md.append("Declared families (the per-setting `pg_settings_*` families not counted) whose query has SQL"
                + " for that version.\n\n");
        md.append("| profile |");
        SUPPORTED_MAJORS.forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|---|");
        SUPPORTED_MAJORS.forEach(m -> md.append("---:|"));
        md.append('\n');
        for (NamingProfile profile : NamingProfile.values()) {
            md.append("| ").append(profileName(profile)).append(" |");
            for (int major : SUPPORTED_MAJORS) {
                md.append(' ').append(familyCount(catalog, profile, major)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** Distinct declared family names a server of that major gets with every collector on. */
    public static long familyCount(Catalog catalog, NamingProfile profile, int major) {
        return catalog.queries().stream()
                .flatMap(q -> CatalogMetric.of(q, profile).stream())
                .filter(m -> !m.perRow() && m.appliesTo(major))
                .map(CatalogMetric::name)
                .distinct()
                .count();
    }

    private static void appendCollectorTable(StringBuilder md, Catalog catalog) {
        md.append("## Collectors\n\n");
        md.append("| collector | default | scope | PostgreSQL | families (compat) |\n|---|---|---|---|---:|\n");
        for (String collector : catalog.collectors()) {
            List<QueryDef> queries = catalog.queries().stream()
                    .filter(q -> q.collector().equals(collector))
                    .toList();
            long families = queries.stream()
                    .flatMap(q -> CatalogMetric.of(q, NamingProfile.COMPAT).stream())
                    .map(CatalogMetric::name)
                    .distinct()
                    .count();
            String scope = queries.stream().anyMatch(q -> q.scope() == Scope.DATABASE) ? "each database" : "server";
            md.append("| [")
                    .append(collector)
                    .append("](#")
                    .append(collector)
                    .append(") | ")
                    .append(onOff(queries))
                    .append(" | ")
                    .append(scope)
                    .append(" | ")
                    .append(versions(queries))
                    .append(" | ")
                    .append(families)
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void appendCollector(StringBuilder md, String collector, List<QueryDef> queries) {
        md.append("## ").append(collector).append("\n\n");
        md.append("**").append(onOff(queries)).append("** by default.");
        if (queries.stream().anyMatch(q -> q.scope() == Scope.DATABASE)) {
            md.append(" Runs in each selected database.");
        }
        md.append('\n');
        // definitions sharing a name and help (a query split by version) are described once
        Map<String, QueryDef> seen = new LinkedHashMap<>();
        for (QueryDef q : queries) {
            seen.putIfAbsent(q.name() + "\n" + q.help(), q);
        }
        for (QueryDef q : seen.values()) {
            List<QueryDef> defs = queries.stream()
                    .filter(d -> d.name().equals(q.name()) && d.help().equals(q.help()))
                    .toList();
            md.append("\n- `").append(q.name()).append("`: ").append(escape(q.help()));
            md.append(" PostgreSQL: ").append(versions(defs)).append('.');
            if (q.role() != ServerRole.ANY) {
                md.append(" Runs on ").append(q.role().name().toLowerCase()).append(" servers only.");
            }
            if (!q.extensions().isEmpty()) {
                md.append(" Needs extension ")
                        .append(q.extensions().stream().map(e -> "`" + e + "`").collect(Collectors.joining(", ")))
                        .append('.');
            }
            q.predicate()
                    .ifPresent(p ->
                            md.append(" Runs only when `").append(p.strip()).append("`."));
            if (!q.parameters().isEmpty()) {
                md.append(" Parameters: ")
                        .append(q.parameters().entrySet().stream()
                                .map(e -> "`" + q.collector() + "." + e.getKey() + "` (default "
                                        + (e.getValue().isEmpty() ? "empty" : "`" + e.getValue() + "`") + ")")
                                .collect(Collectors.joining(", ")))
                        .append('.');
            }
        }
        md.append(
                "\n\n| metric (compat) | metric (strict) | type (compat / strict) | labels | unit | PostgreSQL | help |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Row row : rows(queries)) {
            md.append("| ")
                    .append(code(row.compat.map(CatalogMetric::name)))
                    .append(" | ")
                    .append(code(row.strict.map(CatalogMetric::name)))
                    .append(" | ")
                    .append(type(row.compat))
                    .append(" / ")
                    .append(type(row.strict))
                    .append(" | ")
                    .append(
                            row.any().labels().isEmpty()
                                    ? "—"
                                    : String.join(", ", row.any().labels()))
                    .append(" | ")
                    .append(row.any().unit().orElse(""))
                    .append(" | ")
                    .append(versions(row.queries))
                    .append(" | ")
                    .append(escape(row.any().help()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** One line of a collector's table: a column's metric in both profiles, over its same-named queries. */
    private record Row(Optional<CatalogMetric> compat, Optional<CatalogMetric> strict, List<QueryDef> queries) {
        CatalogMetric any() {
            return compat.or(() -> strict).orElseThrow();
        }
    }

    /** Rows merged across queries of one name (version splits) when both profiles' names agree. */
    private static List<Row> rows(List<QueryDef> queries) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (QueryDef q : queries) {
            for (ColumnDef c : q.columns()) {
                Optional<CatalogMetric> compat = metricOf(q, c, NamingProfile.COMPAT);
                Optional<CatalogMetric> strict = metricOf(q, c, NamingProfile.STRICT);
                if (compat.isEmpty() && strict.isEmpty()) {
                    continue;
                }
                String key = compat.map(CatalogMetric::name).orElse("-") + "|"
                        + strict.map(CatalogMetric::name).orElse("-");
                Row earlier = rows.get(key);
                List<QueryDef> defs = new ArrayList<>(earlier == null ? List.of() : earlier.queries);
                defs.add(q);
                rows.put(key, new Row(compat, strict, defs));
            }
        }
        return List.copyOf(rows.values());
    }

    private static Optional<CatalogMetric> metricOf(QueryDef q, ColumnDef c, NamingProfile profile) {
        return CatalogMetric.of(q, profile).stream()
                .filter(m -> m.column().equals(c))
                .findFirst();
    }

    /** The supported majors on which any of these queries has SQL, compactly. */
    static String versions(List<QueryDef> queries) {
        List<Integer> majors = SUPPORTED_MAJORS.stream()
                .filter(m -> queries.stream()
                        .anyMatch(q -> q.variantFor(io.pgmetrics.core.catalog.PgVersion.major(m))
                                .isPresent()))
                .toList();
        int first = SUPPORTED_MAJORS.get(0);
        int last = SUPPORTED_MAJORS.get(SUPPORTED_MAJORS.size() - 1);
        if (majors.isEmpty()) {
            return "none of " + first + "–" + last + " ("
                    + queries.stream()
                            .flatMap(q -> q.variants().stream())
                            .map(Variant::versions)
                            .map(Object::toString)
                            .distinct()
                            .collect(Collectors.joining(", "))
                    + ")";
        }
        int lo = majors.get(0);
        int hi = majors.get(majors.size() - 1);
        boolean contiguous = majors.size() == hi - lo + 1;
        if (!contiguous) {
            return majors.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (lo == first && hi == last) {
            return "all";
        }
        if (hi == last) {
            return "≥ " + lo;
        }
        if (lo == first) {
            return "≤ " + hi;
        }
        return IntStream.of(lo, hi).mapToObj(String::valueOf).collect(Collectors.joining("–"));
    }

    private static String onOff(List<QueryDef> queries) {
        return queries.stream().anyMatch(QueryDef::enabledByDefault) ? "on" : "off";
    }

    private static String profileName(NamingProfile p) {
        return p.name().toLowerCase();
    }

    private static String type(Optional<CatalogMetric> m) {
        return m.map(CatalogMetric::type).map(MetricType::text).orElse("—");
    }

    private static String code(Optional<String> name) {
        return name.map(n -> "`" + n + "`").orElse("—");
    }

    private static String escape(String text) {
        return text.replace("|", "\\|")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\n", " ");
    }
}
