package io.pgmetrics.core;

import io.pgmetrics.core.sample.MetricFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of one collection: the metric families (self-metrics included) and what happened to each query.
 *
 * @param families every family, sorted by name, without duplicate series
 * @param outcomes one per query and database that was due
 * @param plan the plan used, when the server could be reached
 * @param up whether the kept connection answered and the last new login succeeded ({@code pg_up})
 * @param error why the server could not be reached or planned, if it could not (password-free)
 * @param startedAt when the collection began
 * @param duration how long it took
 * @param duplicatesDropped series dropped because another already had the same name and labels
 */
public record CollectionResult(
        List<MetricFamily> families,
        List<QueryOutcome> outcomes,
        Optional<Plan> plan,
        boolean up,
        Optional<String> error,
        Instant startedAt,
        Duration duration,
        int duplicatesDropped) {

    public CollectionResult {
        families = List.copyOf(families);
        outcomes = List.copyOf(outcomes);
    }

    public Optional<MetricFamily> family(String name) {
        return families.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<QueryOutcome> failures() {
        return outcomes.stream().filter(QueryOutcome::failed).toList();
    }
}
