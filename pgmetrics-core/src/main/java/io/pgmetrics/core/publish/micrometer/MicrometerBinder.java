package io.pgmetrics.core.publish.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgmetrics.core.engine.Collection;
import io.pgmetrics.core.publish.SeriesCache;
import io.pgmetrics.core.publish.SeriesCache.SeriesId;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Binds a database's metrics to Micrometer registries: labels become tags, counters become
 * {@link FunctionCounter}s, everything else {@link Gauge}s. Names are kept as the catalog spells
 * them; a counter's trailing {@code _total} is dropped because Micrometer's Prometheus registry adds
 * it back. One collection per interval serves every meter; meters of vanished series are removed.
 */
public final class MicrometerBinder implements MeterBinder, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MicrometerBinder.class.getName());

    private final SeriesCache cache;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<SeriesId, List<Meter>> meters = new ConcurrentHashMap<>();

    /**
     * @param collections usually {@code pgMetrics::collect}
     * @param interval at most one collection per interval (match the registry's step or scrape interval)
     */
    public MicrometerBinder(Supplier<Collection> collections, Duration interval) {
        this.cache = new SeriesCache(collections, interval, this::sync);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        sync(cache.refresh());
    }

    private synchronized void sync(Map<SeriesId, Double> current) {
        for (SeriesId id : current.keySet()) {
            List<Meter> existing = meters.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
            for (MeterRegistry registry : registries) {
                if (existing.stream().noneMatch(m -> registryOwns(registry, m))) {
                    try {
                        existing.add(register(registry, id));
                    } catch (RuntimeException e) {
                        // e.g. Micrometer's Prometheus registry refusing a family whose tag keys differ; skip that series
                        LOG.log(System.Logger.Level.DEBUG, "cannot register " + id.name() + ": " + e.getMessage());
                    }
                }
            }
        }
        Set<SeriesId> gone = new HashSet<>(meters.keySet());
        gone.removeAll(current.keySet());
        for (SeriesId id : gone) {
            for (Meter m : meters.remove(id)) {
                registries.forEach(r -> r.remove(m));
            }
        }
    }

    private static boolean registryOwns(MeterRegistry registry, Meter meter) {
        return registry.find(meter.getId().getName()).tags(meter.getId().getTags()).meters().contains(meter);
    }

    private Meter register(MeterRegistry registry, SeriesId id) {
        Tags tags = tags(id.labels());
        String description = id.help().isEmpty() ? null : id.help();
        if (id.type() == MetricType.COUNTER) {
            String name = id.name().endsWith("_total") ? id.name().substring(0, id.name().length() - 6) : id.name();
            return FunctionCounter.builder(name, cache, c -> c.value(id)).tags(tags).description(description).register(registry);
        }
        return Gauge.builder(id.name(), cache, c -> c.value(id)).tags(tags).description(description).register(registry);
    }

    private static Tags tags(Labels labels) {
        Tags tags = Tags.empty();
        for (int i = 0; i < labels.size(); i++) {
            tags = tags.and(labels.name(i), labels.value(i));
        }
        return tags;
    }

    /** Removes every meter this binder registered. */
    @Override
    public synchronized void close() {
        meters.values().forEach(list -> list.forEach(m -> registries.forEach(r -> r.remove(m))));
        meters.clear();
    }
}
