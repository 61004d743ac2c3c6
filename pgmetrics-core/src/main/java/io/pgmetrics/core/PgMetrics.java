package io.pgmetrics.core;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.connect.ConnectionSource;
import io.pgmetrics.core.connect.DataSourceConnectionSource;
import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.PoolSettings;
import io.pgmetrics.core.connect.PooledConnectionSource;
import io.pgmetrics.core.internal.engine.DatabaseSelector;
import io.pgmetrics.core.internal.engine.Engine;
import io.pgmetrics.core.publish.PrometheusCollector;
import io.pgmetrics.core.sample.Labels;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * The front door: a database and a catalog in, metrics out.
 *
 * <pre>{@code
 * PgMetrics metrics = PgMetrics.builder()
 *         .dataSource(dataSource)            // or .dsn("postgresql://monitor@db:5432/app")
 *         .catalog(BuiltinCatalog.load())
 *         .build();
 * metrics.register(PrometheusRegistry.defaultRegistry);
 * }</pre>
 *
 * <p>Concurrent callers of {@link #collect} share one run (single-flight), so two Prometheus
 * servers scraping at the same moment cost the database one collection.
 */
public final class PgMetrics implements AutoCloseable {

    /** How often pg_up proves with a new login that the server accepts connections, unless set. */
    public static final Duration DEFAULT_LOGIN_CHECK_INTERVAL = Engine.DEFAULT_LOGIN_CHECK_INTERVAL;

    /** How old a database without a kept connection of its own may grow before it is read again, unless set. */
    public static final Duration DEFAULT_DATABASE_REFRESH_INTERVAL = Engine.DEFAULT_DATABASE_REFRESH_INTERVAL;

    private final Engine engine;
    private final ConnectionSource source;
    private final boolean ownsSource;
    private final Duration collectionTimeout;
    private final AtomicReference<CompletableFuture<CollectionResult>> inFlight = new AtomicReference<>();
    private volatile CollectionResult last;

    private PgMetrics(Builder b) {
        this.source = b.source;
        this.ownsSource = b.ownsSource;
        this.collectionTimeout = b.collectionTimeout;
        this.engine = new Engine(
                b.source,
                b.maxRowsPerQuery == null ? b.catalog : capRows(b.catalog, b.maxRowsPerQuery),
                b.profile,
                b.databases,
                b.parameters,
                b.constantLabels,
                b.queryTimeout,
                b.parallelism,
                b.maxSeries,
                b.loginCheckInterval,
                b.databaseRefreshInterval);
    }

    /** The catalog with every query's max_rows lowered to {@code cap} where it is higher. */
    private static Catalog capRows(Catalog catalog, int cap) {
        List<QueryDef> capped = new ArrayList<>();
        for (QueryDef q : catalog.queries()) {
            capped.add(q.maxRows() > cap ? q.toBuilder().maxRows(cap).buildUnchecked() : q);
        }
        return new Catalog(capped);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects within the configured collection timeout. */
    public CollectionResult collect() {
        return collect(collectionTimeout);
    }

    /**
     * Collects within {@code budget}. A caller arriving while a collection runs waits for that one
     * (up to its own budget) instead of starting another; if it runs out of time first it gets the
     * last complete collection, or the running one's outcome when there is none yet.
     */
    public CollectionResult collect(Duration budget) {
        CompletableFuture<CollectionResult> mine = new CompletableFuture<>();
        CompletableFuture<CollectionResult> running = inFlight.compareAndExchange(null, mine);
        if (running == null) {
            try {
                CollectionResult c = engine.collect(Instant.now().plus(budget));
                last = c;
                mine.complete(c);
                return c;
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                inFlight.set(null);
            }
        }
        try {
            return running.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            CollectionResult previous = last;
            return previous != null ? previous : running.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("collection failed", e.getCause());
        }
    }

    /** The last complete collection, if any. */
    public Optional<CollectionResult> lastCollection() {
        return Optional.ofNullable(last);
    }

    /** The current plan (which variant of each query runs, and why others do not), once the server was reached. */
    public Optional<Plan> plan() {
        return engine.plan();
    }

    public Catalog catalog() {
        return engine.catalog();
    }

    /** Where metrics come from, without secrets. */
    public String describe() {
        return source.describe();
    }

    /** Connections the pool built from {@link Builder#dsn} holds now; 0 for a source the caller gave. */
    public int openConnections() {
        return source instanceof PooledConnectionSource pool ? pool.openConnections() : 0;
    }

    /** A client_java collector reading this instance; register it on any {@link PrometheusRegistry}. */
    public PrometheusCollector prometheusCollector() {
        return new PrometheusCollector(this::collect);
    }

    /** Registers a collector on {@code registry} and returns it (to unregister later). */
    public PrometheusCollector register(PrometheusRegistry registry) {
        PrometheusCollector collector = prometheusCollector();
        registry.register(collector);
        return collector;
    }

    @Override
    public void close() {
        engine.close();
        if (ownsSource) {
            source.close();
        }
    }

    /** Options for {@link PgMetrics}; only the connection is required. */
    public static final class Builder {
        private ConnectionSource source;
        private boolean ownsSource;
        private Catalog catalog = Catalog.EMPTY;
        private NamingProfile profile = NamingProfile.COMPAT;
        private DatabaseSelector databases = DatabaseSelector.ALL;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private Labels constantLabels = Labels.EMPTY;
        private Duration collectionTimeout = Duration.ofSeconds(10);
        private Duration queryTimeout = Duration.ofSeconds(5);
        private PoolSettings poolSettings = PoolSettings.defaults();
        private Integer parallelism;
        private int maxSeries = Integer.MAX_VALUE;
        private Integer maxRowsPerQuery;
        private Duration loginCheckInterval = DEFAULT_LOGIN_CHECK_INTERVAL;
        private Duration databaseRefreshInterval = DEFAULT_DATABASE_REFRESH_INTERVAL;
        private Dsn dsn;

        private Builder() {}

        /** Connections from an application's pool; database-scoped queries then see its database only. */
        public Builder dataSource(DataSource dataSource) {
            return connectionSource(new DataSourceConnectionSource(dataSource), false);
        }

        /**
         * A libpq URL, a key=value string or a JDBC URL; pgmetrics keeps a small pool of its own.
         *
         * @throws io.pgmetrics.core.connect.DsnException when the DSN cannot be parsed
         */
        public Builder dsn(String dsn) {
            return dsn(Dsn.parse(dsn));
        }

        /** A parsed DSN; pgmetrics keeps a small pool of its own (see {@link #poolSettings}). */
        public Builder dsn(Dsn dsn) {
            this.dsn = Objects.requireNonNull(dsn, "dsn");
            this.source = null;
            return this;
        }

        /** Any source; closed with this instance only when {@code owned}. */
        public Builder connectionSource(ConnectionSource source, boolean owned) {
            this.source = source;
            this.ownsSource = owned;
            this.dsn = null;
            return this;
        }

        /**
         * Limits of the pool built from {@link #dsn} (default {@link PoolSettings#defaults()}: 5 connections);
         * its statement_timeout is set from the query timeouts.
         */
        public Builder poolSettings(PoolSettings settings) {
            this.poolSettings = settings;
            return this;
        }

        public Builder catalog(Catalog catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder profile(NamingProfile profile) {
            this.profile = profile;
            return this;
        }

        /** Which databases database-scoped queries visit: names or glob patterns; exclusion wins. */
        public Builder databases(List<String> include, List<String> exclude) {
            this.databases = new DatabaseSelector(include, exclude);
            return this;
        }

        /** A query parameter, keyed {@code <collector>.<name>} or {@code <query>.<name>}. */
        public Builder parameter(String key, String value) {
            parameters.put(key, value);
            return this;
        }

        public Builder parameters(Map<String, String> values) {
            parameters.putAll(values);
            return this;
        }

        /** Labels added to every series (e.g. {@code cluster="eu-1"}). */
        public Builder constantLabels(Map<String, String> labels) {
            this.constantLabels = Labels.of(labels);
            return this;
        }

        /** The longest a collection may take; what is not done by then is left out (default 10 s). */
        public Builder collectionTimeout(Duration timeout) {
            this.collectionTimeout = timeout;
            return this;
        }

        /** The time limit of a query that sets none (default 5 s). */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = timeout;
            return this;
        }

        /**
         * The most query series one collection may hold (default: no limit); more are left out and
         * counted in {@code pgmetrics_series_over_limit_total}. Bounds the memory a collection takes.
         */
        public Builder maxSeries(int maxSeries) {
            if (maxSeries < 1) {
                throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
            }
            this.maxSeries = maxSeries;
            return this;
        }

        /** A ceiling on every query's {@code max_rows} (default: each query's own, 10 000 unless it says otherwise). */
        public Builder maxRowsPerQuery(int maxRows) {
            if (maxRows < 1) {
                throw new IllegalArgumentException("maxRowsPerQuery must be at least 1, not " + maxRows);
            }
            this.maxRowsPerQuery = maxRows;
            return this;
        }

        /**
         * How many queries run at once (default: one less than the pool's connection cap, at least one,
         * so that pg_up's new login never has to close a kept connection and its warm backend; two with an
         * application's DataSource, which then lends up to three connections at once, since pg_up's check
         * borrows one beside the queries).
         */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /**
         * How often {@code pg_up} proves with a new login that the server accepts new connections, while
         * the kept connection answers and nothing failed (default 60 s). A new login is tried at once
         * after a kept connection died, and at every collection while logins fail.
         */
        public Builder loginCheckInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("loginCheckInterval must be positive, not " + interval);
            }
            this.loginCheckInterval = interval;
            return this;
        }

        /**
         * With more databases than the pool keeps connections for (four at the default cap of 5), the
         * databases other than the default one are read in the background, one connection at a time
         * per spare lane, each again once its last read is this old (default 60 s; zero: round and
         * round, as often as the connections allow); collections serve their last reads, with their
         * age in {@code pgmetrics_database_read_age_seconds}. With fewer databases each has a kept
         * connection and is read in every collection, whatever this says.
         */
        public Builder databaseRefreshInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("databaseRefreshInterval must not be negative, not " + interval);
            }
            this.databaseRefreshInterval = interval;
            return this;
        }

        public PgMetrics build() {
            if (dsn != null) {
                source = new PooledConnectionSource(dsn, poolSettings.withStatementTimeout(longestQueryTimeout()));
                ownsSource = true;
            }
            Objects.requireNonNull(source, "a dataSource, dsn or connectionSource is required");
            if (parallelism == null) {
                // an application's DataSource gets two
                parallelism = source instanceof PooledConnectionSource pool
                        ? Math.max(1, pool.settings().maxConnections() - 1)
                        : 2;
            }
            return new PgMetrics(this);
        }

        /**
         * The session's statement_timeout: the longest any query may run. Queries with a shorter limit,
         * and the collection deadline, are enforced by the client cancelling.
         */
        private Duration longestQueryTimeout() {
            Duration longest = queryTimeout;
            for (QueryDef q : catalog.queries()) {
                Duration own = q.timeout().orElse(queryTimeout);
                longest = own.compareTo(longest) > 0 ? own : longest;
            }
            return longest;
        }
    }
}
