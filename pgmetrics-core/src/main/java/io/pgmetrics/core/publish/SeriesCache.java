package io.pgmetrics.core.publish;

import io.pgmetrics.core.engine.Collection;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Series values from at most one collection per interval, for registries that read one value at
 * a time (Dropwizard gauges, Micrometer meters): the first read after the interval collects, the
 * other reads of that report are served from memory. Listeners hear about each new collection so a
 * bridge can add meters for new series and remove vanished ones.
 */
public final class SeriesCache {

    /** One series: its full name (family plus histogram suffix), type and labels. */
    public record SeriesId(String name, MetricType type, String help, Labels labels) {}

    private final Supplier<Collection> collections;
    private final long intervalNanos;
    private final Consumer<Map<SeriesId, Double>> onRefresh;
    private volatile Map<SeriesId, Double> values = Map.of();
    private volatile long collectedAt;
    private volatile boolean fresh;

    public SeriesCache(Supplier<Collection> collections, Duration interval, Consumer<Map<SeriesId, Double>> onRefresh) {
        this.collections = collections;
        this.intervalNanos = interval.toNanos();
        this.onRefresh = onRefresh;
    }

    /** The value of a series, collecting first when the last collection is older than the interval; NaN when gone. */
    public double value(SeriesId id) {
        refreshIfStale();
        return values.getOrDefault(id, Double.NaN);
    }

    public void refreshIfStale() {
        if (!fresh || System.nanoTime() - collectedAt >= intervalNanos) {
            synchronized (this) {
                if (!fresh || System.nanoTime() - collectedAt >= intervalNanos) {
                    refresh();
                }
            }
        }
    }

    /** Collects now and tells the listener which series exist. */
    public synchronized Map<SeriesId, Double> refresh() {
        Map<SeriesId, Double> next = flatten(collections.get());
        values = next;
        collectedAt = System.nanoTime();
        fresh = true;
        onRefresh.accept(next);
        return next;
    }

    static Map<SeriesId, Double> flatten(Collection collection) {
        Map<SeriesId, Double> out = new LinkedHashMap<>();
        for (MetricFamily f : collection.families()) {
            for (Sample s : f.samples()) {
                out.put(new SeriesId(f.name() + s.suffix(), f.type(), f.help(), s.labels()), s.value());
            }
        }
        return out;
    }
}
