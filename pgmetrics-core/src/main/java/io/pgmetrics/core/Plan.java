package io.pgmetrics.core;

import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Variant;
import java.util.List;

/**
 * Which queries run on a server, with which SQL, in which databases; and why the others do not.
 *
 * @param facts what the plan was made for
 * @param planned the queries that run
 * @param skipped the queries that do not, each with the reason
 */
public record Plan(ServerFacts facts, List<PlannedQuery> planned, List<Skipped> skipped) {

    public Plan {
        planned = List.copyOf(planned);
        skipped = List.copyOf(skipped);
    }

    /**
     * A query ready to run.
     *
     * @param query the definition
     * @param variant the SQL variant for this server's version
     * @param sql the variant's SQL with {@code ${name}} replaced by JDBC placeholders
     * @param parameters the values to bind, in placeholder order
     * @param databases where it runs: empty for cluster scope (the default database)
     */
    public record PlannedQuery(
            QueryDef query, Variant variant, String sql, List<String> parameters, List<String> databases) {
        public PlannedQuery {
            parameters = List.copyOf(parameters);
            databases = List.copyOf(databases);
        }
    }

    /** A query that does not run on this server, and why (shown by --dry-run and the landing page). */
    public record Skipped(QueryDef query, String reason) {}
}
