package io.pgmetrics.exporter;

import io.pgmetrics.core.connect.Dsn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets of {@code /probe}, kept briefly so that a Prometheus scraping every 15 s reuses one
 * small pool per target instead of connecting anew each time (postgres_exporter builds and tears
 * down everything per request). Bounded: at most {@code capacity} targets, the least recently used
 * leaves first, and a target unused for {@code ttl} is closed. A target in use is closed only when
 * its last request is done.
 */
final class ProbeTargets implements AutoCloseable {

    private final TargetSettings settings;
    private final int capacity;
    private final long ttlNanos;
    private final Map<Dsn, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    private static final class Entry {
        final Target target;
        long lastUsed;
        int users;
        boolean evicted;

        Entry(Target target) {
            this.target = target;
        }
    }

    /** A target borrowed for one request; {@link #close()} gives it back. */
    final class Lease implements AutoCloseable {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Target target() {
            return entry.target;
        }

        @Override
        public void close() {
            release(entry);
        }
    }

    ProbeTargets(TargetSettings settings, int capacity, Duration ttl) {
        this.settings = settings;
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
    }

    Lease lease(Dsn dsn) {
        List<Target> toClose = new ArrayList<>();
        Lease lease;
        synchronized (this) {
            long now = System.nanoTime();
            expire(now, toClose);
            Entry e = closed ? null : entries.get(dsn);
            if (e == null) {
                e = new Entry(new Target(dsn, dsn.serverLabel(), "/probe", settings, false));
                if (capacity > 0 && !closed) {
                    entries.put(dsn, e);
                    shrink(toClose);
                } else {
                    e.evicted = true; // not cached: closed after this request
                }
            }
            e.users++;
            e.lastUsed = now;
            lease = new Lease(e);
        }
        toClose.forEach(Target::close);
        return lease;
    }

    private void release(Entry e) {
        boolean close;
        synchronized (this) {
            e.users--;
            e.lastUsed = System.nanoTime();
            close = e.evicted && e.users == 0;
        }
        if (close) {
            e.target.close();
        }
    }

    private void expire(long now, List<Target> toClose) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.users == 0 && now - e.lastUsed > ttlNanos) {
                it.remove();
                e.evicted = true;
                toClose.add(e.target);
            }
        }
    }

    private void shrink(List<Target> toClose) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && entries.size() > capacity; ) {
            Entry e = it.next(); // least recently used first
            it.remove();
            e.evicted = true;
            if (e.users == 0) {
                toClose.add(e.target);
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** Cached targets, for the landing page. */
    synchronized List<Target> targets() {
        return entries.values().stream().map(e -> e.target).toList();
    }

    @Override
    public void close() {
        List<Target> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Entry e : entries.values()) {
                e.evicted = true;
                if (e.users == 0) {
                    toClose.add(e.target);
                }
            }
            entries.clear();
        }
        toClose.forEach(Target::close);
    }
}
