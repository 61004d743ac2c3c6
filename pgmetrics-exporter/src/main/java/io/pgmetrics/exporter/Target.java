package io.pgmetrics.exporter;

import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.PoolSettings;
import io.pgmetrics.core.connect.PooledConnectionSource;
import io.pgmetrics.core.engine.Collection;
import io.pgmetrics.core.engine.DatabaseSelector;
import io.pgmetrics.core.engine.Engine;
import io.pgmetrics.core.sample.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One database server the exporter scrapes: its own small pool under a hard connection cap, its
 * engine, single-flight collections (concurrent scrapes share one run), and the last collection,
 * for the landing page.
 */
final class Target implements AutoCloseable {

    private final Dsn dsn;
    private final String server;
    private final String origin;
    private final PooledConnectionSource pool;
    private final Engine engine;
    private final Object flight = new Object();
    private CompletableFuture<Collection> running;
    private volatile Collection last;

    /**
     * @param server the {@code server} label value
     * @param labelWithServer whether every series gets the server label (several targets)
     */
    Target(Dsn dsn, String server, String origin, TargetSettings s, boolean labelWithServer) {
        this.dsn = dsn;
        this.server = server;
        this.origin = origin;
        Map<String, String> labels = new LinkedHashMap<>(s.constantLabels());
        if (labelWithServer) {
            labels.put("server", server);
        }
        // pg_up needs a new connection at every collection; the pool closes an idle one to make room, and the
        // server still lists that backend for a few milliseconds after it is closed. One place of the cap is
        // kept for that overlap, so the server never sees more than the cap.
        int poolCap = Math.max(1, s.maxConnections() - 1);
        this.pool = new PooledConnectionSource(dsn, PoolSettings.builder().maxConnections(poolCap).build());
        this.engine = new Engine(pool, s.catalog(), s.profile(), new DatabaseSelector(s.includeDatabases(), s.excludeDatabases()),
                s.parameters(), Labels.of(labels), s.queryTimeout(), poolCap);
    }

    /** A collection within {@code budget}; concurrent callers share one run. Never throws for database trouble. */
    Collection collect(Duration budget) {
        CompletableFuture<Collection> mine;
        boolean owner = false;
        synchronized (flight) {
            if (running == null) {
                running = new CompletableFuture<>();
                owner = true;
            }
            mine = running;
        }
        if (owner) {
            try {
                Collection c = engine.collect(Instant.now().plus(budget));
                last = c;
                mine.complete(c);
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                synchronized (flight) {
                    running = null;
                }
            }
        }
        return mine.join();
    }

    Optional<Collection> last() {
        return Optional.ofNullable(last);
    }

    String server() {
        return server;
    }

    String origin() {
        return origin;
    }

    /** The connection string with the password masked. */
    String redacted() {
        return dsn.redacted();
    }

    Dsn dsn() {
        return dsn;
    }

    @Override
    public void close() {
        engine.close();
        pool.close();
    }

    @Override
    public String toString() {
        return "Target[" + redacted() + "]";
    }
}
