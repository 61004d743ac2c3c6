package io.pgmetrics.core.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules every catalog obeys, whichever way it was written (YAML, builder, foreign format). */
public final class CatalogValidator {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** A parameter reference in SQL: ${name}. */
    public static final Pattern PARAMETER = Pattern.compile("\\$\\{([a-zA-Z_][a-zA-Z0-9_]*)}");

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private CatalogValidator() {}

    /** Problems of one query on its own. */
    public static List<Problem> check(QueryDef q) {
        List<Problem> problems = new ArrayList<>();
        String name = q.name();
        if (!METRIC_NAME.matcher(name).matches()) {
            problems.add(
                    Problem.of(
                            name,
                            null,
                            "name",
                            "'" + name
                                    + "' is not a valid metric prefix; use letters, digits and underscores, not starting with a digit"));
        }
        checkVariants(q, problems);
        checkLimits(q, problems);
        checkColumns(q, problems);
        return problems;
    }

    /** Problems of a whole catalog: each query's, and metric names two queries would both emit. */
    public static List<Problem> check(List<QueryDef> queries) {
        List<Problem> problems = new ArrayList<>();
        // every earlier query with the same name, not only the first: a primary query, then two replica
        // queries of that name, must still be reported
        Map<String, List<QueryDef>> byName = new HashMap<>();
        for (QueryDef q : queries) {
            problems.addAll(check(q));
            List<QueryDef> earlier = byName.computeIfAbsent(q.name(), k -> new ArrayList<>());
            if (earlier.stream().anyMatch(e -> !mutuallyExclusive(e, q))) {
                problems.add(
                        Problem.of(
                                q.name(),
                                null,
                                "name",
                                "a query with this name is defined twice; rename one, or give them disjoint version ranges or primary/replica roles"));
            }
            earlier.add(q);
        }
        for (NamingProfile profile : NamingProfile.values()) {
            Map<String, List<QueryDef>> owners = new HashMap<>();
            for (QueryDef q : queries) {
                for (String metric : metricNames(q, profile)) {
                    List<QueryDef> others = owners.computeIfAbsent(metric, k -> new ArrayList<>());
                    others.stream()
                            .filter(other -> other != q && !mutuallyExclusive(other, q))
                            .findFirst()
                            .ifPresent(other -> problems.add(Problem.of(
                                    q.name(),
                                    null,
                                    null,
                                    "metric '" + metric + "' (" + profile.name().toLowerCase()
                                            + " profile) is also emitted by query '" + other.name()
                                            + "'; rename the column (rename:) or remove one of the queries")));
                    if (others.stream().noneMatch(o -> o == q)) {
                        others.add(q);
                    }
                }
            }
        }
        return problems;
    }

    /** Two queries that can never run on the same server may share names (a primary/replica pair, disjoint versions). */
    static boolean mutuallyExclusive(QueryDef a, QueryDef b) {
        if (a.role() != ServerRole.ANY && b.role() != ServerRole.ANY && a.role() != b.role()) {
            return true;
        }
        for (Variant va : a.variants()) {
            for (Variant vb : b.variants()) {
                if (va.versions().overlaps(vb.versions())) {
                    return false;
                }
            }
        }
        return true;
    }

    static List<String> metricNames(QueryDef q, NamingProfile profile) {
        List<String> names = new ArrayList<>();
        for (ColumnDef c : q.columns()) {
            if (c.usage(profile).isMetric() && c.nameFrom().isEmpty()) {
                names.add(q.metricName(c, profile));
            }
        }
        return names;
    }

    private static void checkVariants(QueryDef q, List<Problem> problems) {
        if (q.variants().isEmpty()) {
            problems.add(Problem.of(
                    q.name(), null, "sql", "the query has no SQL; give it sql: or a list of variants: each with sql:"));
        }
        List<Variant> vs = q.variants();
        for (int i = 0; i < vs.size(); i++) {
            if (vs.get(i).sql().isBlank()) {
                problems.add(Problem.of(
                        q.name(),
                        null,
                        "variants[" + i + "].sql",
                        "the SQL is empty; write the query or remove the variant"));
            }
            for (int j = i + 1; j < vs.size(); j++) {
                if (vs.get(i).versions().overlaps(vs.get(j).versions())) {
                    problems.add(Problem.of(
                            q.name(),
                            null,
                            "variants[" + j + "]",
                            "version range " + vs.get(j).versions() + " overlaps variant " + i + " ("
                                    + vs.get(i).versions()
                                    + "); exactly one variant may apply to a server version, so make the ranges"
                                    + " disjoint (max_version is exclusive)"));
                }
            }
        }
        for (int i = 0; i < vs.size(); i++) {
            var refs = PARAMETER.matcher(vs.get(i).sql());
            while (refs.find()) {
                if (!q.parameters().containsKey(refs.group(1))) {
                    problems.add(Problem.of(
                            q.name(),
                            null,
                            "variants[" + i + "].sql",
                            "refers to ${" + refs.group(1)
                                    + "}, which is not declared; add it under parameters: with a default"));
                }
            }
        }
        if (q.predicate().isPresent() && q.predicate().get().isBlank()) {
            problems.add(
                    Problem.of(q.name(), null, "predicate", "the predicate query is empty; remove it or write one"));
        }
    }

    private static void checkLimits(QueryDef q, List<Problem> problems) {
        if (q.ttl().isNegative()) {
            problems.add(Problem.of(q.name(), null, "ttl", "must not be negative"));
        }
        if (q.refreshInBackground() && (q.ttl().isZero() || q.ttl().isNegative())) {
            problems.add(Problem.of(
                    q.name(),
                    null,
                    "refresh_in_background",
                    "needs a ttl: how old the served result may grow before it is read again, e.g. ttl: 1m"));
        }
        if (q.timeout().isPresent()
                && (q.timeout().get().isZero() || q.timeout().get().isNegative())) {
            problems.add(Problem.of(q.name(), null, "timeout", "must be positive, e.g. 5s"));
        }
        if (q.maxRows() <= 0) {
            problems.add(Problem.of(q.name(), null, "max_rows", "must be positive"));
        }
        if (!q.databases().isEmpty() && q.scope() != Scope.DATABASE) {
            problems.add(Problem.of(
                    q.name(),
                    null,
                    "databases",
                    "only database-scoped queries choose databases; add scope: database or remove databases:"));
        }
    }

    private static void checkColumns(QueryDef q, List<Problem> problems) {
        Set<String> seen = new HashSet<>();
        Set<String> metrics = new HashSet<>();
        boolean anyMetric = false;
        for (ColumnDef c : q.columns()) {
            if (!seen.add(c.name())) {
                problems.add(
                        Problem.of(q.name(), c.name(), null, "the column is declared twice; keep one declaration"));
            }
            if (c.usage() == Usage.LABEL && !LABEL_NAME.matcher(c.name()).matches()) {
                problems.add(Problem.of(
                        q.name(), c.name(), "name", "not a valid label name; alias the column in SQL (AS some_name)"));
            }
            if (c.usage() == Usage.LABEL && c.name().equals("le")) {
                problems.add(Problem.of(
                        q.name(), c.name(), "name", "'le' is reserved for histogram buckets; alias the column"));
            }
            if (c.usage() == Usage.MAPPEDMETRIC && c.mapping().isEmpty()) {
                problems.add(
                        Problem.of(
                                q.name(),
                                c.name(),
                                "mapping",
                                "a MAPPEDMETRIC column needs a mapping from text to number, e.g. mapping: {ok: 0, failing: 1}"));
            }
            if (c.usage() != Usage.MAPPEDMETRIC && !c.mapping().isEmpty()) {
                problems.add(Problem.of(
                        q.name(),
                        c.name(),
                        "mapping",
                        "a mapping only applies to usage MAPPEDMETRIC; remove it or change the usage"));
            }
            if (!Double.isFinite(c.scale()) || c.scale() == 0) {
                problems.add(Problem.of(q.name(), c.name(), "scale", "must be a finite, non-zero number"));
            }
            if (c.usage() == Usage.HISTOGRAM) {
                checkHistogram(q, c, problems);
            }
            for (String ref : List.of(c.nameFrom().orElse(""), c.helpFrom().orElse(""))) {
                if (!ref.isEmpty()
                        && q.column(ref).map(r -> r.usage() != Usage.DISCARD).orElse(true)) {
                    problems.add(Problem.of(
                            q.name(),
                            c.name(),
                            "name_from/help_from",
                            "refers to column '" + ref + "', which must be declared with usage DISCARD"));
                }
            }
            if (c.usage().isMetric()) {
                anyMetric = true;
                for (NamingProfile p : NamingProfile.values()) {
                    String metric = q.metricName(c, p);
                    if (c.nameFrom().isPresent()) {
                        continue; // the name is completed per row; duplicates are dropped at collection
                    }
                    if (!METRIC_NAME.matcher(metric).matches()) {
                        problems.add(
                                Problem.of(q.name(), c.name(), null, "'" + metric + "' is not a valid metric name"));
                    } else if (p == NamingProfile.COMPAT && !metrics.add(metric)) {
                        problems.add(Problem.of(
                                q.name(),
                                c.name(),
                                null,
                                "metric '" + metric
                                        + "' is emitted by two columns of this query; rename one (rename:)"));
                    }
                }
            }
        }
        if (!anyMetric && q.undeclaredColumns() == UndeclaredColumns.IGNORE) {
            problems.add(
                    Problem.of(
                            q.name(),
                            null,
                            "columns",
                            "declares no metric column (GAUGE, COUNTER, MAPPEDMETRIC, DURATION or HISTOGRAM), so it would export nothing"));
        }
    }

    private static void checkHistogram(QueryDef q, ColumnDef c, List<Problem> problems) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            q.column(c.name() + suffix).ifPresent(companion -> {
                if (companion.usage() != Usage.DISCARD) {
                    problems.add(Problem.of(
                            q.name(),
                            companion.name(),
                            "usage",
                            "is a companion of HISTOGRAM column '" + c.name()
                                    + "' and is read with it; declare it DISCARD or remove its declaration"));
                }
            });
        }
    }
}
