package io.pgmetrics.core.publish.dropwizard;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.internal.publish.SeriesCache;
import io.pgmetrics.core.internal.publish.SeriesCache.SeriesId;
import io.pgmetrics.core.sample.Labels;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Publishes a database's metrics on a Dropwizard Metrics 4 registry: one gauge per series.
 *
 * <p>Dropwizard 4 has no tags, so labels go into the name in the Prometheus selector spelling,
 * which anyone reading the metric recognises: {@code pg_stat_database_xact_commit{datname=app}}
 * (labels sorted by name; a series without labels is just the family name; histogram series end in
 * {@code _bucket}, {@code _sum}, {@code _count}). An optional prefix is joined with a dot.
 *
 * <p>Reading every gauge of a report costs one collection: the first read after the interval
 * collects, the rest are served from it. After each collection, gauges for new series are
 * registered and gauges whose series vanished (a dropped database, a finished vacuum) are removed.
 */
public final class DropwizardPublisher implements AutoCloseable {

    private final MetricRegistry registry;
    private final String prefix;
    private final SeriesCache cache;
    private final Map<SeriesId, String> registered = new ConcurrentHashMap<>();

    /**
     * @param collections usually {@code pgMetrics::collect}
     * @param interval the reporting interval: at most one collection per interval
     * @param prefix prepended to every name with a dot, or empty
     */
    public DropwizardPublisher(
            MetricRegistry registry, Supplier<CollectionResult> collections, Duration interval, String prefix) {
        this.registry = registry;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + ".";
        this.cache = new SeriesCache(collections, interval, this::sync);
    }

    /** Collects once and registers a gauge for every series. */
    public DropwizardPublisher start() {
        cache.refresh();
        return this;
    }

    /** The registry name of a series. */
    public String nameOf(String family, Labels labels) {
        if (labels.isEmpty()) {
            return prefix + family;
        }
        StringBuilder sb = new StringBuilder(prefix).append(family).append('{');
        for (int i = 0; i < labels.size(); i++) {
            sb.append(i > 0 ? "," : "").append(labels.name(i)).append('=').append(labels.value(i));
        }
        return sb.append('}').toString();
    }

    private synchronized void sync(Map<SeriesId, Double> current) {
        for (SeriesId id : current.keySet()) {
            registered.computeIfAbsent(id, k -> {
                String name = nameOf(k.name(), k.labels());
                registry.remove(name);
                registry.register(name, (Gauge<Double>) () -> cache.value(k));
                return name;
            });
        }
        Set<SeriesId> gone = new java.util.HashSet<>(registered.keySet());
        gone.removeAll(current.keySet());
        for (SeriesId id : gone) {
            registry.remove(registered.remove(id));
        }
    }

    /** Stops collecting and removes every gauge this publisher registered. */
    @Override
    public void close() {
        // first the cache (its lock before ours, as in a refresh): no refresh can register gauges again
        cache.close();
        synchronized (this) {
            registered.values().forEach(registry::remove);
            registered.clear();
        }
    }
}
