package io.pgmetrics.exporter.probe;

import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.exporter.scrape.Target;
import io.pgmetrics.exporter.scrape.TargetSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The targets of {@code /probe}, kept so that a Prometheus scraping a fleet every 15 s reuses one
 * small pool per target instead of connecting anew each time (postgres_exporter builds and tears
 * down everything per request). A target reads the database it names only, unless it asks for all
 * of its server's databases: then the targets naming that server share one target.
 * Bounded by a connection budget: every open target counts its pool's cap, a new target evicts the
 * least recently used idle ones until its cap fits, and is refused ({@link BudgetFull}) when the
 * targets in use hold the whole budget. Also at most {@code capacity} targets, and a target unused for
 * {@code ttl} is closed, by a sweep that runs whether requests come or not. A target in use is closed only
 * when its last request is done.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class ProbeTargets implements AutoCloseable {

    /** Every connection of the budget is held by targets serving requests. */
    static final class BudgetFull extends Exception {
        BudgetFull(String message) {
            super(message);
        }
    }

    private final TargetSettings settings;
    private final int capacity;
    private final long ttlNanos;
    private final int budget;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private int reserved; // the caps of every target not yet closed, kept or not
    private int closing; // the caps of evicted targets being closed
    private long evictions;
    private final long sweepMillis;
    private ScheduledExecutorService sweeper; // started with the first kept target: most exporters are never probed
    private boolean closed;

    /** A target reads one database, or (allDatabases) its server's: then the database named is not part of the key. */
    private record Key(Dsn dsn, boolean allDatabases) {
        static Key of(Dsn dsn, boolean allDatabases) {
            return new Key(allDatabases ? dsn.withDatabase(null) : dsn, allDatabases);
        }
    }

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

    /**
     * @param capacity most targets kept between requests (0: none)
     * @param budget connections all targets may hold together
     */
    public ProbeTargets(TargetSettings settings, int capacity, Duration ttl, int budget) {
        this.settings = settings;
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.budget = budget;
        // a target nobody probes any more must not keep its connections until the next request comes
        this.sweepMillis = Math.max(250, Math.min(ttl.toMillis() / 4, 30_000));
    }

    /** Starts the idle sweep; called with the lock held, when a target is first kept. */
    private void startSweeper() {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgmetrics-probe-idle");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        List<Entry> toClose = new ArrayList<>();
        synchronized (this) {
            expire(System.nanoTime(), toClose);
        }
        toClose.forEach(this::closeTarget);
    }

    /**
     * The target for {@code dsn}, kept or new.
     *
     * @param allDatabases read every database of the server (as postgres_exporter's auto-discovery), not only
     *     the one named
     */
    Lease lease(Dsn dsn, boolean allDatabases) throws BudgetFull {
        Key key = Key.of(dsn, allDatabases);
        while (true) {
            List<Entry> toClose = new ArrayList<>();
            Lease lease = null;
            try {
                synchronized (this) {
                    long now = System.nanoTime();
                    expire(now, toClose);
                    Entry e = closed ? null : entries.get(key);
                    if (e == null) {
                        e = admit(key, dsn, toClose);
                    }
                    if (e != null) {
                        e.users++;
                        e.lastUsed = now;
                        lease = new Lease(e);
                    }
                }
            } finally {
                toClose.forEach(this::closeTarget);
            }
            if (lease != null) {
                return lease;
            }
            if (toClose.isEmpty()) {
                LockSupport.parkNanos(1_000_000); // another request is closing what makes room
            }
        }
    }

    /**
     * A new target if its cap fits in the budget; else evicts idle targets, least recently used first, and
     * returns null: the caller closes them and asks again, so that their connections are gone before new ones open.
     */
    private Entry admit(Key key, Dsn dsn, List<Entry> toClose) throws BudgetFull {
        int cap = settings.maxConnections();
        if (reserved + cap > budget) {
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext() && reserved - closing + cap > budget) {
                Entry old = it.next();
                if (old.users == 0) {
                    it.remove();
                    evict(old, toClose);
                }
            }
            if (reserved - closing + cap > budget) {
                throw new BudgetFull("the /probe connection budget (" + budget + ", --probe.max-connections) is "
                        + "held by targets serving requests");
            }
            return null;
        }
        TargetSettings s = key.allDatabases() ? settings : settings.onlyDatabase(dsn.database());
        Entry e = new Entry(new Target(dsn, dsn.serverLabel(), "/probe", s, false));
        reserved += cap;
        if (capacity > 0 && !closed) {
            entries.put(key, e);
            startSweeper();
            shrink(toClose);
        } else {
            e.evicted = true; // not cached: closed after this request
        }
        return e;
    }

    private void release(Entry e) {
        boolean close;
        synchronized (this) {
            e.users--;
            e.lastUsed = System.nanoTime();
            close = e.evicted && e.users == 0;
            if (close) {
                closing += settings.maxConnections();
            }
        }
        if (close) {
            closeTarget(e);
        }
    }

    /** Closes the target, then gives its connections back to the budget. */
    private void closeTarget(Entry e) {
        e.target.close();
        synchronized (this) {
            reserved -= settings.maxConnections();
            closing -= settings.maxConnections();
        }
    }

    private void evict(Entry e, List<Entry> toClose) {
        e.evicted = true;
        evictions++;
        if (e.users == 0) {
            toClose.add(e);
            closing += settings.maxConnections();
        }
    }

    private void expire(long now, List<Entry> toClose) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.users == 0 && now - e.lastUsed > ttlNanos) {
                it.remove();
                evict(e, toClose);
            }
        }
    }

    private void shrink(List<Entry> toClose) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && entries.size() > capacity; ) {
            Entry e = it.next(); // least recently used first
            it.remove();
            evict(e, toClose);
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** Targets kept, connections open to them, and targets evicted since the start, for the self-metrics. */
    public record Stats(int targets, int connections, long evictions) {}

    public Stats stats() {
        List<Target> kept;
        long evicted;
        synchronized (this) {
            kept = entries.values().stream().map(e -> e.target).toList();
            evicted = evictions;
        }
        return new Stats(
                kept.size(), kept.stream().mapToInt(Target::openConnections).sum(), evicted);
    }

    /** Cached targets, for the landing page. */
    synchronized List<Target> targets() {
        return entries.values().stream().map(e -> e.target).toList();
    }

    @Override
    public void close() {
        List<Entry> toClose = new ArrayList<>();
        synchronized (this) {
            if (sweeper != null) {
                sweeper.shutdownNow();
            }
            closed = true;
            for (Entry e : entries.values()) {
                e.evicted = true;
                if (e.users == 0) {
                    toClose.add(e);
                    closing += settings.maxConnections();
                }
            }
            entries.clear();
        }
        toClose.forEach(this::closeTarget);
    }
}
