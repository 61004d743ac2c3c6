package io.pgmetrics.core.engine;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.connect.ConnectionSource;
import io.pgmetrics.core.sample.Labels;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs collections for one server: learns the server, plans, runs the due queries in parallel (at
 * most {@code parallelism} at once), maps rows to samples and adds the self-metrics. {@code pg_up}'s
 * new connection is opened at the same time as the queries run, on a thread of its own.
 * Thread-safe, but meant to be driven by one collection at a time (the facade's single-flight).
 */
public final class Engine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    private final ConnectionSource source;
    private final Catalog catalog;
    private final NamingProfile profile;
    private final Planner planner;
    private final Labels constantLabels;
    private final Duration defaultQueryTimeout;
    private final ExecutorService workers;
    private final ExecutorService upChecker;
    private final int parallelism;
    private final int maxSeries;
    private final SelfMetrics self = new SelfMetrics();
    private final Map<String, CachedRows> cache = new ConcurrentHashMap<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private volatile Plan plan;

    private record CachedRows(RowSet rows, Instant expires) {}

    /** Rows of one query in one database, or why there are none. */
    private record Ran(Plan.PlannedQuery query, String database, RowSet rows, QueryOutcome outcome) {}

    public Engine(ConnectionSource source, Catalog catalog, NamingProfile profile, DatabaseSelector databases,
            Map<String, String> parameters, Labels constantLabels, Duration defaultQueryTimeout, int parallelism) {
        this(source, catalog, profile, databases, parameters, constantLabels, defaultQueryTimeout, parallelism, Integer.MAX_VALUE);
    }

    /** @param maxSeries query series one collection may hold; more are left out and counted (self-metrics always come) */
    public Engine(ConnectionSource source, Catalog catalog, NamingProfile profile, DatabaseSelector databases,
            Map<String, String> parameters, Labels constantLabels, Duration defaultQueryTimeout, int parallelism, int maxSeries) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
        }
        this.maxSeries = maxSeries;
        this.source = source;
        this.catalog = catalog;
        this.profile = profile;
        this.planner = new Planner(parameters, databases, source.canSwitchDatabase());
        this.constantLabels = constantLabels;
        this.defaultQueryTimeout = defaultQueryTimeout;
        this.parallelism = Math.max(1, parallelism);
        this.workers = Executors.newFixedThreadPool(this.parallelism, daemon("pgmetrics-query"));
        this.upChecker = Executors.newSingleThreadExecutor(daemon("pgmetrics-up"));
    }

    private static long nanosUntil(Instant deadline) {
        return Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The current plan, if the server has been reached. */
    public Optional<Plan> plan() {
        return Optional.ofNullable(plan);
    }

    /** One collection that ends by {@code deadline}: what is not done by then is left out and reported. */
    public Collection collect(Instant deadline) {
        Instant start = Instant.now();
        FamilySet out = new FamilySet(maxSeries);
        List<QueryOutcome> outcomes = new ArrayList<>();
        Optional<String> error = Optional.empty();
        Future<?> upCheck = startUpCheck();
        Plan current = null;
        // even when new connections are refused (max_connections reached), pooled ones may still serve
        try {
            current = refreshPlan(deadline);
        } catch (TimeoutException e) {
            error = Optional.of("no answer from the server within the collection deadline");
        } catch (SQLException | RuntimeException e) {
            error = Optional.of(describe(e));
        }
        if (current != null) {
            lastErrors.remove("server");
            runAll(current, deadline, out, outcomes);
        }
        boolean up = awaitUp(upCheck, deadline);
        if (current == null && up) { // when down, awaitUp has already said why in one line
            logOnce("server", "cannot reach " + source.describe() + ": " + error.orElseThrow());
        }
        List<QueryDef> due = current != null
                ? current.planned().stream().map(Plan.PlannedQuery::query).toList()
                : catalog.queries();
        Duration took = Duration.between(start, Instant.now());
        int duplicates = out.duplicates();
        if (out.overLimit() > 0) {
            logOnce("limit", "series limit " + maxSeries + " reached: series left out (pgmetrics_series_over_limit_total); "
                    + "raise max_series, or select fewer collectors or databases");
        } else {
            lastErrors.remove("limit");
        }
        self.write(out, constantLabels, up, current != null, due, outcomes, duplicates, out.overLimit(), took.toNanos() / 1e9);
        return new Collection(out.build(), outcomes, Optional.ofNullable(current), up, error, start, took, duplicates);
    }

    /** Starts opening pg_up's new connection; null once closed. */
    private Future<?> startUpCheck() {
        try {
            return upChecker.submit(() -> {
                source.checkFresh();
                return null;
            });
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the new connection succeeded, waiting no longer than the collection may last: a server
     * that accepts TCP and never answers would otherwise hold the scrape for the driver's whole login timeout.
     */
    private boolean awaitUp(Future<?> check, Instant deadline) {
        if (check == null) {
            return false;
        }
        try {
            check.get(nanosUntil(deadline), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            check.cancel(true); // pgjdbc gives up waiting when interrupted, and frees the place in the pool
            logOnce("up", "new connection to " + source.describe() + " did not complete before the collection deadline");
            return false;
        } catch (ExecutionException e) {
            logOnce("up", "new connection to " + source.describe() + " failed: " + describe(e.getCause()));
            return false;
        } catch (InterruptedException e) {
            check.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The plan for the server as it is now, learnt on a worker so that a server that does not answer cannot hold us past the deadline. */
    private Plan refreshPlan(Instant deadline) throws SQLException, TimeoutException {
        Future<Plan> f;
        try {
            f = workers.submit(this::learnPlan);
        } catch (RuntimeException e) {
            throw new SQLException("the engine is closed", "08003");
        }
        try {
            return f.get(nanosUntil(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException se) {
                throw se;
            }
            throw e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", "57014");
        }
    }

    private Plan learnPlan() throws SQLException {
        ServerFacts facts;
        try {
            facts = readFacts();
        } catch (SQLException e) {
            if (!connectionLost(e)) {
                throw e;
            }
            facts = readFacts(); // the pooled connection died with its server (a restart): once more, on a new one
        }
        Plan current = plan;
        if (current == null || !current.facts().equals(facts)) {
            current = planner.plan(catalog, facts);
            if (plan != null) {
                LOG.log(System.Logger.Level.INFO, "server changed (" + facts.version() + (facts.inRecovery() ? ", replica" : ", primary")
                        + ", " + facts.databases().size() + " databases); plan remade");
            }
            cache.clear();
            plan = current;
        }
        return current;
    }

    private ServerFacts readFacts() throws SQLException {
        Connection c = source.connection(null);
        try {
            ServerFacts facts = ServerFacts.read(c);
            c.close();
            return facts;
        } catch (SQLException | RuntimeException e) {
            source.discard(c);
            throw e;
        }
    }

    /** One query in one database (null: the default one, for cluster-scoped queries). */
    private record Work(Plan.PlannedQuery query, String database) {}

    /**
     * Runs the plan: all database-scoped queries of one database one after the other, so that one
     * connection to that database serves them all (query by query, with many databases and a small
     * connection cap, every query in every database would need a new connection), and the
     * cluster-scoped ones each on its own, or as one batch when there are more databases than
     * connections. Rows are mapped in plan order, whatever order they arrive in.
     */
    private void runAll(Plan current, Instant deadline, FamilySet out, List<QueryOutcome> outcomes) {
        Map<Work, Ran> done = new ConcurrentHashMap<>();
        List<Plan.PlannedQuery> clusterScoped = new ArrayList<>();
        Map<String, List<Plan.PlannedQuery>> byDatabase = new java.util.LinkedHashMap<>();
        for (Plan.PlannedQuery pq : current.planned()) {
            if (pq.databases().isEmpty()) {
                clusterScoped.add(pq);
            } else {
                pq.databases().forEach(db -> byDatabase.computeIfAbsent(db, k -> new ArrayList<>()).add(pq));
            }
        }
        List<Future<?>> futures = new ArrayList<>();
        if (byDatabase.size() <= parallelism) {
            // every connection stays open, and with it its backend's warm caches
            clusterScoped.forEach(pq -> futures.add(workers.submit(() -> runBatch(List.of(pq), null, deadline, done, false))));
            byDatabase.forEach((db, queries) -> futures.add(workers.submit(() -> runBatch(queries, db, deadline, done, false))));
        } else {
            // More databases than connections at once: each database is one batch, left when done so
            // that its place goes to the next one (an idle connection would make every switch wait).
            // The default database comes last and is kept: the next collection starts on it.
            String home = current.facts().database();
            List<Plan.PlannedQuery> atHome = byDatabase.remove(home);
            futures.add(workers.submit(() -> runBatch(clusterScoped, null, deadline, done, true)));
            byDatabase.forEach((db, queries) -> futures.add(workers.submit(() -> runBatch(queries, db, deadline, done, true))));
            if (atHome != null) {
                futures.add(workers.submit(() -> runBatch(atHome, home, deadline, done, false)));
            }
        }
        for (Future<?> f : futures) {
            try {
                f.get(nanosUntil(deadline), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true); // what it finished is used; the rest is reported below as missed
            } catch (Exception e) {
                // reported below from the plan: no outcome means it did not finish
            }
        }
        for (Plan.PlannedQuery pq : current.planned()) {
            List<String> databases = pq.databases().isEmpty() ? java.util.Collections.singletonList(null) : pq.databases();
            for (String db : databases) {
                Ran ran = done.get(new Work(pq, db));
                if (ran == null) { // still running, or never started, at the deadline
                    outcomes.add(failed(pq, db, QueryOutcome.Status.TIMED_OUT, "not finished by the collection deadline", Duration.ZERO));
                    continue;
                }
                outcomes.add(ran.outcome());
                if (ran.rows() != null) {
                    map(ran, out, outcomes);
                }
            }
        }
    }

    /** Runs queries one after the other in one database (null: the default one), then maybe leaves it. */
    private void runBatch(List<Plan.PlannedQuery> queries, String db, Instant deadline, Map<Work, Ran> done, boolean leave) {
        for (Plan.PlannedQuery pq : queries) {
            if (Thread.currentThread().isInterrupted()) {
                return; // cancelled at the deadline: the rest is reported as missed
            }
            done.put(new Work(pq, db), runOne(pq, db, deadline));
        }
        if (leave) {
            source.doneWith(db);
        }
    }

    private void map(Ran ran, FamilySet out, List<QueryOutcome> outcomes) {
        QueryDef q = ran.query().query();
        Labels base = constantLabels;
        try {
            RowMapper.Result r = new RowMapper(q, profile).map(ran.rows(), base, ran.database(), out);
            for (String w : r.warnings()) {
                logOnce(q.name() + "/" + w, "query " + q.name() + ": " + w);
            }
        } catch (QueryFailure e) {
            outcomes.remove(ran.outcome());
            outcomes.add(failed(ran.query(), ran.database(), QueryOutcome.Status.FAILED, e.getMessage(), ran.outcome().duration()));
            logOnce(key(q, ran.database()), "query " + q.name() + where(ran.database()) + " failed: " + e.getMessage());
        }
    }

    private Ran runOne(Plan.PlannedQuery pq, String db, Instant deadline) {
        QueryDef q = pq.query();
        String key = key(q, db);
        CachedRows hit = cache.get(key);
        Instant now = Instant.now();
        if (hit != null && hit.expires().isAfter(now)) {
            return new Ran(pq, db, hit.rows(), new QueryOutcome(q.name(), q.collector(), Optional.ofNullable(db),
                    QueryOutcome.Status.OK, Optional.empty(), Duration.ZERO, hit.rows().rows().size(), true, hit.rows().truncated()));
        }
        Duration left = Duration.between(now, deadline);
        if (left.toMillis() < 10) {
            return new Ran(pq, db, null, failed(pq, db, QueryOutcome.Status.TIMED_OUT, "no time left in the collection", Duration.ZERO));
        }
        Duration timeout = q.timeout().orElse(defaultQueryTimeout);
        if (timeout.compareTo(left) > 0) {
            timeout = left;
        }
        long t0 = System.nanoTime();
        // a pooled connection that died with its server (a restart) gets one more try, on a new connection
        for (boolean retried = false; ; retried = true) {
            Connection c = null;
            try {
                c = source.connection(db);
                RowSet rows = QueryRunner.run(c, pq, timeout, db != null);
                c.close();
                c = null;
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (!q.ttl().isZero()) {
                    cache.put(key, new CachedRows(rows, Instant.now().plus(q.ttl())));
                }
                lastErrors.remove(key);
                return new Ran(pq, db, rows, new QueryOutcome(q.name(), q.collector(), Optional.ofNullable(db),
                        QueryOutcome.Status.OK, Optional.empty(), took, rows.rows().size(), false, rows.truncated()));
            } catch (QueryRunner.PredicateFalse e) {
                return new Ran(pq, db, null, new QueryOutcome(q.name(), q.collector(), Optional.ofNullable(db),
                        QueryOutcome.Status.SKIPPED, Optional.of(e.getMessage()), Duration.ofNanos(System.nanoTime() - t0), 0, false, false));
            } catch (SQLException | RuntimeException e) {
                boolean timedOut = e instanceof SQLException se && "57014".equals(se.getSQLState());
                boolean hadConnection = c != null;
                if (c != null && (brokenConnection(e) || timedOut)) {
                    source.discard(c);
                    c = null;
                }
                if (!retried && hadConnection && connectionLost(e) && Duration.between(Instant.now(), deadline).toMillis() >= 10) {
                    continue;
                }
                String message = timedOut ? "cancelled after " + timeout.toMillis() + " ms (timeout)" : describe(e);
                logOnce(key, "query " + q.name() + where(db) + " failed: " + message);
                return new Ran(pq, db, null, failed(pq, db, timedOut ? QueryOutcome.Status.TIMED_OUT : QueryOutcome.Status.FAILED,
                        message, Duration.ofNanos(System.nanoTime() - t0)));
            } finally {
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        source.discard(c);
                    }
                }
            }
        }
    }

    private static QueryOutcome failed(Plan.PlannedQuery pq, String db, QueryOutcome.Status status, String message, Duration took) {
        return new QueryOutcome(pq.query().name(), pq.query().collector(), Optional.ofNullable(db), status,
                Optional.of(message), took, 0, false, false);
    }

    /** The connection is gone: SQLSTATE class 08, or the server shut down or restarted (57P01–57P03). */
    private static boolean connectionLost(Exception e) {
        return e instanceof SQLException se && se.getSQLState() != null
                && (se.getSQLState().startsWith("08") || se.getSQLState().startsWith("57P0"));
    }

    /** Connection-level failures (SQLSTATE class 08, admin shutdown, crash recovery) and anything not from the server. */
    private static boolean brokenConnection(Exception e) {
        if (!(e instanceof SQLException se) || se.getSQLState() == null) {
            return true;
        }
        String state = se.getSQLState();
        return state.startsWith("08") || state.startsWith("57P") || state.equals("25P02");
    }

    private static String key(QueryDef q, String db) {
        return db == null ? q.name() : q.name() + "@" + db;
    }

    private static String where(String db) {
        return db == null ? "" : " in database " + db;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.strip().replace('\n', ' ');
    }

    /** Logs a failure when it is new or different, so a broken query does not flood the log every scrape. */
    private void logOnce(String key, String message) {
        String previous = lastErrors.put(key, message);
        LOG.log(message.equals(previous) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, message);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        upChecker.shutdownNow();
    }
}
