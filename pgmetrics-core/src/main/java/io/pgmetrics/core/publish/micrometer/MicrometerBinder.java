package io.pgmetrics.core.publish.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.internal.publish.SeriesCache;
import io.pgmetrics.core.internal.publish.SeriesCache.SeriesId;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Binds a database's metrics to Micrometer registries: labels become tags, counters become
 * {@link FunctionCounter}s, everything else {@link Gauge}s. Names are kept as the catalog spells
 * them; a counter's trailing {@code _total} is dropped because Micrometer's Prometheus registry adds
 * it back. One collection per interval serves every meter of every bound registry; meters of
 * vanished series are removed.
 *
 * <p>The meters keep this binder alive (gauges hold it strongly), so {@code new MicrometerBinder(..)
 * .bindTo(registry)} without keeping a reference is fine; {@link #close()} removes them.
 */
public final class MicrometerBinder implements MeterBinder, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MicrometerBinder.class.getName());

    private final SeriesCache cache;
    /** Per bound registry, the meter of each series (null where the registry refused one). Guarded by this. */
    private final Map<MeterRegistry, Map<SeriesId, Meter>> meters = new LinkedHashMap<>();

    /**
     * @param collections usually {@code pgMetrics::collect}
     * @param interval at most one collection per interval (match the registry's step or scrape interval)
     */
    public MicrometerBinder(Supplier<CollectionResult> collections, Duration interval) {
        this.cache = new SeriesCache(collections, interval, this::sync);
    }

    /** Adds this database's meters to {@code registry}; collects first unless a collection of this interval exists. */
    @Override
    public void bindTo(MeterRegistry registry) {
        synchronized (this) {
            meters.putIfAbsent(registry, new HashMap<>());
        }
        cache.refreshIfStale();
        sync(cache.values());
    }

    private synchronized void sync(Map<SeriesId, Double> current) {
        for (Map.Entry<MeterRegistry, Map<SeriesId, Meter>> e : meters.entrySet()) {
            MeterRegistry registry = e.getKey();
            Map<SeriesId, Meter> bound = e.getValue();
            for (SeriesId id : current.keySet()) {
                if (!bound.containsKey(id)) {
                    bound.put(id, register(registry, id));
                }
            }
            for (Iterator<Map.Entry<SeriesId, Meter>> it = bound.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<SeriesId, Meter> m = it.next();
                if (!current.containsKey(m.getKey())) {
                    if (m.getValue() != null) {
                        registry.remove(m.getValue());
                    }
                    it.remove();
                }
            }
        }
    }

    /** The new meter, or null when the registry refuses it (it is not tried again while the series lasts). */
    private Meter register(MeterRegistry registry, SeriesId id) {
        Tags tags = tags(id.labels());
        String description = id.help().isEmpty() ? null : id.help();
        try {
            if (id.type() == MetricType.COUNTER) {
                String name = id.name().endsWith("_total")
                        ? id.name().substring(0, id.name().length() - 6)
                        : id.name();
                // a FunctionCounter holds the cache weakly; the gauges' strong references keep it alive
                return FunctionCounter.builder(name, cache, c -> c.value(id))
                        .tags(tags)
                        .description(description)
                        .register(registry);
            }
            return Gauge.builder(id.name(), cache, c -> c.value(id))
                    .tags(tags)
                    .description(description)
                    .strongReference(true)
                    .register(registry);
        } catch (RuntimeException e) {
            // e.g. Micrometer's Prometheus registry refusing a family whose tag keys differ; skip that series
            LOG.log(System.Logger.Level.DEBUG, "cannot register " + id.name() + ": " + e.getMessage());
            return null;
        }
    }

    private static Tags tags(Labels labels) {
        Tags tags = Tags.empty();
        for (int i = 0; i < labels.size(); i++) {
            tags = tags.and(labels.name(i), labels.value(i));
        }
        return tags;
    }

    /** Stops collecting and removes every meter this binder registered. */
    @Override
    public void close() {
        // first the cache (its lock before ours, as in a refresh): no refresh can register meters again
        cache.close();
        synchronized (this) {
            meters.forEach((registry, bound) ->
                    bound.values().stream().filter(Objects::nonNull).forEach(registry::remove));
            meters.clear();
        }
    }
}
