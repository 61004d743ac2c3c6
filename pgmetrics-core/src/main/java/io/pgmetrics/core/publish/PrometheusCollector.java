package io.pgmetrics.core.publish;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.internal.publish.Snapshots;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Publishes collections on a client_java 1.x registry.
 *
 * <p>client_java appends {@code _total} to every counter. A compat-profile counter whose legacy
 * name has no {@code _total} (postgres_exporter's {@code pg_stat_database_xact_commit}) is therefore
 * published as an untyped metric under its exact name, so dashboards keep finding it; counters
 * named with {@code _total} are published as counters. The exporter's own text writer keeps the
 * counter type as well (see {@link TextFormat}).
 */
public final class PrometheusCollector implements MultiCollector {

    private final Supplier<CollectionResult> collections;

    /** Publishes whatever the supplier returns at each scrape (the exporter passes its per-target merge). */
    public PrometheusCollector(Supplier<CollectionResult> collections) {
        this.collections = collections;
    }

    @Override
    public MetricSnapshots collect() {
        return collect(name -> true);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames) {
        return Snapshots.of(collections.get().families(), includedNames);
    }
}
