package io.pgmetrics.test;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.Plan;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** Checks on what a catalog yielded on each server, after {@link CatalogAssert#runsOn}. */
public final class CatalogRunAssert {

    private final String name;
    private final NamingProfile profile;
    private final Map<PostgresServer, CollectionResult> runs;

    CatalogRunAssert(String name, NamingProfile profile, Map<PostgresServer, CollectionResult> runs) {
        this.name = name;
        this.profile = profile;
        this.runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
    }

    /**
     * Fails unless, on every server, each metric family the queries declare has at least one series and its
     * series carry exactly the declared labels (the LABEL columns, plus {@code datname} for database scope).
     * Families named from rows ({@code name_from}) are not known in advance and not checked.
     */
    public CatalogRunAssert yieldsDeclaredFamilies() {
        List<String> problems = new ArrayList<>();
        runs.forEach((server, c) -> {
            for (Plan.PlannedQuery planned : c.plan().orElseThrow().planned()) {
                for (DeclaredFamily f : DeclaredFamily.of(planned.query(), profile)) {
                    check(server, c, f.name(), f.labels(), "query '" + f.query() + "' declares", problems);
                }
            }
        });
        Failures.failIfAny(name + " does not yield what it declares", problems);
        return this;
    }

    /** Fails unless, on every server, {@code family} has at least one series, each with exactly these labels. */
    public CatalogRunAssert yields(String family, String... labels) {
        List<String> problems = new ArrayList<>();
        SortedSet<String> expected = new TreeSet<>(Arrays.asList(labels));
        runs.forEach((server, c) -> check(server, c, family, expected, "expected", problems));
        Failures.failIfAny(name + " does not yield " + family, problems);
        return this;
    }

    /** What the run collected on the server of that major, for checks of values. */
    public CollectionResult collection(int major) {
        return runs.entrySet().stream()
                .filter(e -> e.getKey().major() == major)
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no PostgreSQL " + major + " among " + runs.keySet()));
    }

    /** What the run collected, per server. */
    public Map<PostgresServer, CollectionResult> collections() {
        return runs;
    }

    private static void check(
            PostgresServer server,
            CollectionResult c,
            String family,
            SortedSet<String> labels,
            String why,
            List<String> problems) {
        Optional<MetricFamily> found = c.family(family);
        if (found.isEmpty() || found.get().samples().isEmpty()) {
            problems.add(server + ": no series of " + family + " (" + why + " it); does the query return rows there?");
            return;
        }
        for (Sample s : found.get().samples()) {
            SortedSet<String> names = new TreeSet<>(s.labels().names());
            if (s.suffix().equals("_bucket")) {
                names.remove("le");
            }
            if (!names.equals(labels)) {
                problems.add(server + ": " + family + " has labels " + names + ", but " + why + " " + labels);
                return;
            }
        }
    }
}
