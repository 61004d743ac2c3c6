package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.Plan;
import io.pgmetrics.core.ServerFacts;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogValidator;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/** Decides, for one server, which variant of each query runs and where. Pure: no database access. */
final class Planner {

    private final Map<String, String> parameterOverrides;
    private final DatabaseSelector selector;
    private final boolean canSwitchDatabase;

    /**
     * @param parameterOverrides values for query parameters, keyed {@code <collector>.<name>} or {@code <query>.<name>}
     * @param selector the databases database-scoped queries may run in
     * @param canSwitchDatabase false when connections come from an application's DataSource (one database only)
     */
    Planner(Map<String, String> parameterOverrides, DatabaseSelector selector, boolean canSwitchDatabase) {
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        this.selector = selector;
        this.canSwitchDatabase = canSwitchDatabase;
    }

    Plan plan(Catalog catalog, ServerFacts facts) {
        List<Plan.PlannedQuery> planned = new ArrayList<>();
        List<Plan.Skipped> skipped = new ArrayList<>();
        for (QueryDef q : catalog.queries()) {
            Optional<Variant> variant = q.variantFor(facts.version());
            if (variant.isEmpty()) {
                skipped.add(new Plan.Skipped(
                        q,
                        "no variant for PostgreSQL " + facts.version() + " (variants: "
                                + q.variants().stream()
                                        .map(v -> v.versions().toString())
                                        .toList() + ")"));
                continue;
            }
            if (!q.role().accepts(facts.inRecovery())) {
                skipped.add(new Plan.Skipped(
                        q,
                        "runs on " + q.role().name().toLowerCase() + " servers only; this one is a "
                                + (facts.inRecovery() ? "replica" : "primary")));
                continue;
            }
            List<String> missing = q.extensions().stream()
                    .filter(e -> !facts.extensions().contains(e))
                    .toList();
            if (!missing.isEmpty() && q.scope() == Scope.CLUSTER) {
                skipped.add(new Plan.Skipped(q, "needs extension(s) " + missing + " in database " + facts.database()));
                continue;
            }
            List<String> databases = q.scope() == Scope.DATABASE ? databasesFor(q, facts) : List.of();
            if (q.scope() == Scope.DATABASE && databases.isEmpty()) {
                skipped.add(new Plan.Skipped(
                        q,
                        "no selected database matches "
                                + (q.databases().isEmpty() ? "the database filter" : q.databases())));
                continue;
            }
            List<String> values = new ArrayList<>();
            String sql = bindParameters(q, variant.get().sql(), values);
            planned.add(new Plan.PlannedQuery(q, variant.get(), sql, values, databases));
        }
        return new Plan(facts, planned, skipped);
    }

    private List<String> databasesFor(QueryDef q, ServerFacts facts) {
        if (!canSwitchDatabase) {
            return List.of(facts.database());
        }
        return facts.databases().stream()
                .filter(selector::accepts)
                .filter(db -> q.databases().isEmpty() || DatabaseSelector.matchesAny(q.databases(), db))
                .toList();
    }

    private String bindParameters(QueryDef q, String sql, List<String> values) {
        Matcher m = CatalogValidator.PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = parameterOverrides.getOrDefault(
                    q.name() + "." + name,
                    parameterOverrides.getOrDefault(
                            q.collector() + "." + name, q.parameters().get(name)));
            values.add(value);
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return out.toString();
    }
}
