package io.pgmetrics.exporter.scrape;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.PoolSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One database server the exporter scrapes: its {@link PgMetrics} with its own small pool of kept
 * connections under a hard cap, single-flight collections (concurrent scrapes share one run), and the last
 * collection, for the landing page.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Target implements AutoCloseable {

    private final Dsn dsn;
    private final String server;
    private final String origin;
    private final PgMetrics metrics;

    /**
     * @param server the {@code server} label value
     * @param labelWithServer whether every series gets the server label (several targets)
     */
    public Target(Dsn dsn, String server, String origin, TargetSettings s, boolean labelWithServer) {
        this.dsn = dsn;
        this.server = server;
        this.origin = origin;
        Map<String, String> labels = new LinkedHashMap<>(s.constantLabels());
        if (labelWithServer) {
            labels.put("server", server);
        }
        // the pool keeps the cap as the server counts it; the engine's queries use one place less, which
        // pg_up's login check takes when it is due
        PgMetrics.Builder b = PgMetrics.builder()
                .dsn(dsn)
                .poolSettings(PoolSettings.builder()
                        .maxConnections(s.maxConnections())
                        .build())
                .loginCheckInterval(s.loginCheckInterval())
                .databaseRefreshInterval(s.databaseRefreshInterval())
                .catalog(s.catalog())
                .profile(s.profile())
                .databases(s.includeDatabases(), s.excludeDatabases())
                .parameters(s.parameters())
                .constantLabels(labels)
                .collectionTimeout(s.collectionTimeout())
                .queryTimeout(s.queryTimeout());
        if (s.maxSeries() > 0) {
            b.maxSeries(s.maxSeries());
        }
        if (s.maxRows() > 0) {
            b.maxRowsPerQuery(s.maxRows());
        }
        this.metrics = b.build();
    }

    /** A collection within {@code budget}; concurrent callers share one run. Never throws for database trouble. */
    public CollectionResult collect(Duration budget) {
        return metrics.collect(budget);
    }

    public Optional<CollectionResult> last() {
        return metrics.lastCollection();
    }

    public String server() {
        return server;
    }

    public String origin() {
        return origin;
    }

    /** The connection string with the password masked. */
    public String redacted() {
        return dsn.redacted();
    }

    /** Connections open to the server now. */
    public int openConnections() {
        return metrics.openConnections();
    }

    Dsn dsn() {
        return dsn;
    }

    @Override
    public void close() {
        metrics.close();
    }

    @Override
    public String toString() {
        return "Target[" + redacted() + "]";
    }
}
