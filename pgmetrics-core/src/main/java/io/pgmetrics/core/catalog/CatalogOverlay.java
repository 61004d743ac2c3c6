package io.pgmetrics.core.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Lays custom queries over a base catalog (the built-in one) by metric family: a custom query replaces only
 * the families it declares, and the base queries keep every other family. A base query that keeps nothing
 * is left out whole.
 *
 * <p>A base query whose name a custom query takes keeps its remaining families under the name
 * {@code <name>:builtin}: the name is a query's identity (its cache, its outcome, its self-metrics), and the
 * metric names of its remaining columns are pinned so they do not change. When they cannot be pinned (names
 * taken from rows, undeclared columns exported untyped) the base query is left out whole.
 *
 * <p>Families a custom query only produces at run time (undeclared columns, names from rows) cannot be
 * matched here; the custom queries come first in the result so that, where both emit the same series, the
 * engine keeps the custom one (it maps results in catalog order and drops a repeated series).
 */
public final class CatalogOverlay {

    /** What a base query keeps under its own name when a custom query takes that name. */
    public static final String RENAMED_SUFFIX = ":builtin";

    /**
     * What one base query lost to the custom queries.
     *
     * @param query the base query as it was
     * @param replaced its metric columns whose families a custom query now emits (all of them when {@code whole})
     * @param by the custom queries that emit them, or that took the base query's name
     * @param whole true when nothing of the base query is left
     * @param keptAs the name the rest of the base query runs under, when it is not left out
     */
    public record Replacement(QueryDef query, List<ColumnDef> replaced, List<String> by, boolean whole, String keptAs) {
        public Replacement {
            Objects.requireNonNull(query, "query");
            replaced = List.copyOf(replaced);
            by = List.copyOf(by);
            Objects.requireNonNull(keptAs, "keptAs");
        }

        /** The families the base query no longer emits, under a naming profile. */
        public List<String> families(NamingProfile profile) {
            return replaced.stream()
                    .filter(c -> c.usage(profile).isMetric())
                    .map(c -> query.metricName(c, profile))
                    .toList();
        }

        /** One line for the log, the landing page and --dry-run. */
        public String describe(NamingProfile profile) {
            String byQueries = " by custom query " + String.join(", ", by);
            if (whole) {
                return "built-in query " + query.name() + ": replaced whole (" + String.join(", ", families(profile))
                        + ")" + byQueries;
            }
            String renamed = keptAs.equals(query.name()) ? "" : ", as query " + keptAs;
            if (replaced.isEmpty()) {
                return "built-in query " + query.name() + ": its name is taken" + byQueries + "; all its families stay"
                        + renamed;
            }
            return "built-in query " + query.name() + ": families " + String.join(", ", families(profile)) + " replaced"
                    + byQueries + "; its other families stay" + renamed;
        }
    }

    /**
     * @param catalog the custom queries, then what is left of the base ones
     * @param replacements what the base queries lost, in base catalog order
     */
    public record Result(Catalog catalog, List<Replacement> replacements) {
        public Result {
            Objects.requireNonNull(catalog, "catalog");
            replacements = List.copyOf(replacements);
        }
    }

    private CatalogOverlay() {}

    /**
     * The custom queries over the base catalog, for a naming profile: a base family is replaced when a custom
     * query declares its name under that profile. Under the compat profile a base column whose strict name alone
     * is declared stays, and is silenced under strict (which this catalog is not used with), so the catalog stays
     * valid for both; under the strict profile a compat name declared also replaces the column.
     *
     * @throws CatalogException when the custom queries clash with each other, or with what is left of the base
     */
    public static Result apply(Catalog base, Catalog custom, NamingProfile profile) {
        Map<NamingProfile, Map<String, String>> declared = declaredFamilies(custom);
        Set<String> customNames = new LinkedHashSet<>();
        custom.queries().forEach(q -> customNames.add(q.name()));
        List<QueryDef> all = new ArrayList<>(custom.queries());
        List<Replacement> replacements = new ArrayList<>();
        NamingProfile otherProfile = profile == NamingProfile.COMPAT ? NamingProfile.STRICT : NamingProfile.COMPAT;
        for (QueryDef q : base.queries()) {
            Set<String> by = new LinkedHashSet<>();
            List<ColumnDef> replaced = new ArrayList<>();
            List<ColumnDef> kept = new ArrayList<>();
            boolean changed = false;
            for (ColumnDef c : q.columns()) {
                String active = emitter(q, c, profile, declared);
                String other = emitter(q, c, otherProfile, declared);
                if (active != null || (other != null && profile == NamingProfile.STRICT)) {
                    replaced.add(c);
                    by.add(active != null ? active : other);
                } else if (other != null) {
                    kept.add(c.toBuilder()
                            .strict(
                                    c.strict()
                                            .flatMap(ColumnDef.StrictNaming::metric)
                                            .orElse(null),
                                    Usage.DISCARD)
                            .build());
                    changed = true;
                } else {
                    kept.add(c);
                }
            }
            boolean nameTaken = customNames.contains(q.name());
            if (replaced.isEmpty() && !nameTaken) {
                all.add(changed ? withColumns(q, q.name(), kept) : q);
                continue;
            }
            if (nameTaken) {
                by.add(q.name());
            }
            boolean anyMetricLeft = q.undeclaredColumns() == UndeclaredColumns.UNTYPED
                    || kept.stream().anyMatch(c -> c.usage(profile).isMetric());
            boolean namesFixed = q.undeclaredColumns() == UndeclaredColumns.IGNORE
                    && kept.stream().allMatch(c -> c.nameFrom().isEmpty());
            if (!anyMetricLeft || (nameTaken && !namesFixed)) {
                List<ColumnDef> metrics = q.columns().stream()
                        .filter(c -> c.usage(profile).isMetric())
                        .toList();
                replacements.add(new Replacement(q, metrics, List.copyOf(by), true, ""));
                continue;
            }
            QueryDef rest = nameTaken ? renamed(q, kept) : withColumns(q, q.name(), kept);
            all.add(rest);
            replacements.add(new Replacement(q, replaced, List.copyOf(by), false, rest.name()));
        }
        return new Result(new Catalog(all), replacements);
    }

    /** The families each custom query declares, per profile: metric name → query name. */
    private static Map<NamingProfile, Map<String, String>> declaredFamilies(Catalog custom) {
        Map<NamingProfile, Map<String, String>> declared = new HashMap<>();
        for (NamingProfile p : NamingProfile.values()) {
            Map<String, String> names = new HashMap<>();
            for (QueryDef q : custom.queries()) {
                for (ColumnDef c : q.columns()) {
                    if (c.usage(p).isMetric() && c.nameFrom().isEmpty()) {
                        names.putIfAbsent(q.metricName(c, p), q.name());
                    }
                }
            }
            declared.put(p, names);
        }
        return declared;
    }

    /** The custom query that declares this base column's family under a profile, or null. */
    private static String emitter(
            QueryDef q, ColumnDef c, NamingProfile profile, Map<NamingProfile, Map<String, String>> declared) {
        if (c.nameFrom().isPresent() || !c.usage(profile).isMetric()) {
            return null;
        }
        return declared.get(profile).get(q.metricName(c, profile));
    }

    private static boolean isMetric(ColumnDef c) {
        for (NamingProfile p : NamingProfile.values()) {
            if (c.usage(p).isMetric()) {
                return true;
            }
        }
        return false;
    }

    /** The base query under another name, its columns' metric names pinned to what they were. */
    private static QueryDef renamed(QueryDef q, List<ColumnDef> kept) {
        List<ColumnDef> pinned = new ArrayList<>();
        for (ColumnDef c : kept) {
            // the strict name derives from the compat one unless set, so pinning the compat name keeps both
            boolean pin = isMetric(c) && c.metric().isEmpty();
            pinned.add(
                    pin
                            ? c.toBuilder()
                                    .metric(q.metricName(c, NamingProfile.COMPAT))
                                    .build()
                            : c);
        }
        return withColumns(q, q.name() + RENAMED_SUFFIX, pinned);
    }

    private static QueryDef withColumns(QueryDef q, String name, List<ColumnDef> columns) {
        return new QueryDef(
                name,
                q.collector(),
                q.help(),
                q.scope(),
                q.role(),
                q.extensions(),
                q.predicate(),
                q.ttl(),
                q.refreshInBackground(),
                q.timeout(),
                q.maxRows(),
                q.enabledByDefault(),
                q.databases(),
                q.undeclaredColumns(),
                q.parameters(),
                q.variants(),
                columns);
    }
}
