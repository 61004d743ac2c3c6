package io.pgmetrics.core.internal.publish;

import io.pgmetrics.core.CollectionResult;
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
 *
 * <p>A collection that throws counts as an attempt too: it is logged, the previous values stay,
 * and the next attempt waits for the interval, so a failing supplier is not called once per gauge.
 * Only the first collection's exception reaches the caller (a bridge's start), since without one
 * success there are no gauges that would ever ask again.
 * After {@link #close()} nothing is collected any more and every value reads NaN, so a reporter
 * that still holds a gauge cannot bring a closed bridge back to life.
 */
public final class SeriesCache implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SeriesCache.class.getName());

    /** One series: its full name (family plus histogram suffix), type and labels. */
    public record SeriesId(String name, MetricType type, String help, Labels labels) {}

    private final Supplier<CollectionResult> collections;
    private final long intervalNanos;
    private final Consumer<Map<SeriesId, Double>> onRefresh;
    private volatile Map<SeriesId, Double> values = Map.of();
    private volatile long collectedAt;
    private volatile boolean fresh;
    private volatile boolean closed;
    private boolean succeeded; // guarded by this

    public SeriesCache(
            Supplier<CollectionResult> collections, Duration interval, Consumer<Map<SeriesId, Double>> onRefresh) {
        this.collections = collections;
        this.intervalNanos = interval.toNanos();
        this.onRefresh = onRefresh;
    }

    /** The value of a series, collecting first when the last collection is older than the interval; NaN when gone. */
    public double value(SeriesId id) {
        refreshIfStale();
        return values.getOrDefault(id, Double.NaN);
    }

    /** The series of the last collection and their values (empty before the first, and after close). */
    public Map<SeriesId, Double> values() {
        return values;
    }

    public void refreshIfStale() {
        if (stale()) {
            synchronized (this) {
                if (stale()) {
                    refresh();
                }
            }
        }
    }

    private boolean stale() {
        return !closed && (!fresh || System.nanoTime() - collectedAt >= intervalNanos);
    }

    /**
     * Collects now and tells the listener which series exist. When the collection throws after an
     * earlier one succeeded, the previous values are kept (and returned) and the listener is not
     * called; when the very first one throws, the caller (a bridge starting) gets the exception.
     */
    public synchronized Map<SeriesId, Double> refresh() {
        if (closed) {
            return values;
        }
        Map<SeriesId, Double> next;
        try {
            next = flatten(collections.get());
        } catch (RuntimeException e) {
            if (!succeeded) {
                throw e;
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "collection failed, keeping the previous values until the next attempt: " + e);
            return values;
        } finally {
            collectedAt = System.nanoTime();
            fresh = true;
        }
        succeeded = true;
        values = next;
        onRefresh.accept(next);
        return next;
    }

    /** Stops collecting; every value reads NaN from now on. */
    @Override
    public synchronized void close() {
        closed = true;
        values = Map.of();
    }

    static Map<SeriesId, Double> flatten(CollectionResult collection) {
        Map<SeriesId, Double> out = new LinkedHashMap<>();
        for (MetricFamily f : collection.families()) {
            for (Sample s : f.samples()) {
                out.put(new SeriesId(f.name() + s.suffix(), f.type(), f.help(), s.labels()), s.value());
            }
        }
        return out;
    }
}
