package io.pgmetrics.test;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** Checks on a catalog that loaded: its warnings, its version coverage, and how it runs on real servers. */
public final class CatalogAssert {

    private final String name;
    private final Catalog catalog;
    private final List<Problem> warnings;
    private NamingProfile profile = NamingProfile.COMPAT;

    CatalogAssert(String name, Catalog catalog, List<Problem> warnings) {
        this.name = name;
        this.catalog = catalog;
        this.warnings = List.copyOf(warnings);
    }

    /** The catalog, for checks of your own. */
    public Catalog catalog() {
        return catalog;
    }

    /** Family names follow this profile in the checks that follow (default: compat). */
    public CatalogAssert withProfile(NamingProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        return this;
    }

    /** Fails when loading warned (a postgres_exporter or CloudNativePG key that has no effect, a misspelt key). */
    public CatalogAssert hasNoWarnings() {
        Failures.failIfAny(name + " loaded with warnings", warnings);
        return this;
    }

    /** As {@link #hasOneVariantPerMajor(int...)} for the servers' majors. */
    public CatalogAssert hasOneVariantPerMajor(PostgresServers servers) {
        return hasOneVariantPerMajor(
                servers.majors().stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Fails unless every query has exactly one SQL variant for the whole of each major (from x.0 to its last
     * minor). Queries that share a name (disjoint version ranges, or a primary and a replica variant) count
     * together per role.
     */
    public CatalogAssert hasOneVariantPerMajor(int... majors) {
        List<String> problems = new ArrayList<>();
        Map<String, List<QueryDef>> groups = catalog.queries().stream()
                .collect(
                        Collectors.groupingBy(q -> q.name() + " " + q.role(), LinkedHashMap::new, Collectors.toList()));
        for (List<QueryDef> group : groups.values()) {
            for (int major : majors) {
                if (major < 10) {
                    throw new IllegalArgumentException("majors are 10 or later, not " + major);
                }
                Optional<Variant> first = only(group, PgVersion.major(major), problems);
                Optional<Variant> last = only(group, new PgVersion(major * 10000 + 9999), problems);
                String query = "query '" + group.get(0).name() + "'";
                if (first.isEmpty() && last.isEmpty()) {
                    problems.add(query + " has no variant for PostgreSQL " + major);
                } else if (!first.equals(last)) {
                    problems.add(query + " changes variant within PostgreSQL " + major
                            + " (at a minor version); a major should run one SQL");
                }
            }
        }
        Failures.failIfAny(
                name + " does not cover the majors " + java.util.Arrays.toString(majors),
                problems.stream().distinct().toList());
        return this;
    }

    private static Optional<Variant> only(List<QueryDef> group, PgVersion version, List<String> problems) {
        List<Variant> applying =
                group.stream().flatMap(q -> q.variantFor(version).stream()).toList();
        if (applying.size() > 1) {
            problems.add("query '" + group.get(0).name() + "' has " + applying.size() + " variants for PostgreSQL "
                    + version + "; one must apply");
        }
        return applying.stream().findFirst();
    }

    /**
     * Runs the catalog once on every server as the {@code pg_monitor} role {@value PostgresServer#MONITOR_ROLE}
     * and fails, listing every problem on every server, when a query does not run there (no variant, missing
     * extension, wrong role) or fails (SQL error, permission denied, result not as declared, timeout).
     */
    public CatalogRunAssert runsOn(PostgresServers servers) {
        Map<PostgresServer, CollectionResult> runs = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PostgresServer server : servers.all()) {
            CollectionResult c = collect(server.monitorDsn(servers.monitorDatabase()));
            runs.put(server, c);
            problems.addAll(problems(server, c));
        }
        Failures.failIfAny("The queries of " + name + " do not all run as " + PostgresServer.MONITOR_ROLE, problems);
        return new CatalogRunAssert(name, profile, runs);
    }

    private CollectionResult collect(String dsn) {
        try (PgMetrics metrics =
                PgMetrics.builder().dsn(dsn).catalog(catalog).profile(profile).build()) {
            return metrics.collect();
        }
    }

    private static List<String> problems(PostgresServer server, CollectionResult c) {
        List<String> problems = new ArrayList<>();
        if (!c.up()) {
            problems.add(server + ": cannot connect: " + c.error().orElse("unknown reason"));
            return problems;
        }
        Optional<Plan> plan = c.plan();
        if (plan.isEmpty()) {
            problems.add(server + ": no plan: " + c.error().orElse("unknown reason"));
            return problems;
        }
        for (Plan.Skipped s : plan.get().skipped()) {
            problems.add(server + ": query '" + s.query().name() + "' does not run: " + s.reason());
        }
        for (QueryOutcome o : c.failures()) {
            problems.add(server + ": query '" + o.query() + "'"
                    + o.database().map(d -> " in database " + d).orElse("")
                    + (o.status() == QueryOutcome.Status.TIMED_OUT ? " timed out" : " failed") + ": "
                    + o.message().orElse("no message"));
        }
        return problems;
    }
}
