package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.ServerFacts;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.connect.ConnectionSource;
import io.pgmetrics.core.internal.connect.ConnectionFailures;
import io.pgmetrics.core.sample.Labels;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.stream.Collectors;

/**
 * Runs collections for one server: learns the server on its kept connection, plans, runs the due
 * queries on at most {@code parallelism} connections ({@link Lanes}), maps rows to samples and adds
 * the self-metrics. {@code pg_up} is 1 when the kept connection answered and the last new-login
 * check ({@link LoginCheck}) succeeded. Thread-safe, but meant to be driven by one collection at a
 * time (the facade's single-flight).
 */
public final class Engine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    /** How often a new login is tried when nothing else calls for it ({@code pg_up}'s login half). */
    public static final Duration DEFAULT_LOGIN_CHECK_INTERVAL = Duration.ofSeconds(60);

    /**
     * How old a database without a kept connection of its own may grow before it is read again (more
     * databases than connections: see {@link DatabaseRefresher}).
     */
    public static final Duration DEFAULT_DATABASE_REFRESH_INTERVAL = Duration.ofSeconds(60);

    private final ConnectionSource source;
    private final Catalog catalog;
    private final Planner planner;
    private final Labels constantLabels;
    private final ExecutorService workers;
    private final int parallelism;
    private final int maxSeries;
    private final SelfMetrics self = new SelfMetrics();
    private final RowMappers rowMappers;
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private final LoginCheck loginCheck;
    private final QueryExecutor executor;
    private final Lanes lanes;
    private volatile Plan plan;

    /** The plan, and whether the kept connection was found dead on the way (pg_up 0 for this collection). */
    private record PlanRead(Plan plan, boolean keptConnectionLost) {}

    private final ConfigReloads configReloads = new ConfigReloads();

    public Engine(
            ConnectionSource source,
            Catalog catalog,
            NamingProfile profile,
            DatabaseSelector databases,
            Map<String, String> parameters,
            Labels constantLabels,
            Duration defaultQueryTimeout,
            int parallelism) {
        this(
                source,
                catalog,
                profile,
                databases,
                parameters,
                constantLabels,
                defaultQueryTimeout,
                parallelism,
                Integer.MAX_VALUE,
                DEFAULT_LOGIN_CHECK_INTERVAL,
                DEFAULT_DATABASE_REFRESH_INTERVAL);
    }

    /**
     * @param maxSeries query series one collection may hold; more are left out and counted (self-metrics always come)
     * @param loginCheckInterval how often a new login is tried while all is well
     * @param databaseRefreshInterval how old a database without a kept connection may grow before it is read again
     */
    public Engine(
            ConnectionSource source,
            Catalog catalog,
            NamingProfile profile,
            DatabaseSelector databases,
            Map<String, String> parameters,
            Labels constantLabels,
            Duration defaultQueryTimeout,
            int parallelism,
            int maxSeries,
            Duration loginCheckInterval,
            Duration databaseRefreshInterval) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
        }
        this.maxSeries = maxSeries;
        this.source = source;
        this.catalog = catalog;
        this.rowMappers = new RowMappers(profile, constantLabels);
        this.planner = new Planner(parameters, databases, source.canSwitchDatabase());
        this.constantLabels = constantLabels;
        this.parallelism = Math.max(1, parallelism);
        this.workers = Executors.newFixedThreadPool(this.parallelism, daemon("pgmetrics-query"));
        this.loginCheck = new LoginCheck(source, loginCheckInterval, this::logOnce);
        this.executor =
                new QueryExecutor(source, defaultQueryTimeout, loginCheck, this::logOnce, lastErrors, rowMappers);
        this.lanes = new Lanes(source, executor, workers, this.parallelism, databaseRefreshInterval, this::learnPlan);
    }

    static long nanosUntil(Instant deadline) {
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
    public CollectionResult collect(Instant deadline) {
        Instant start = Instant.now();
        FamilySet out = new FamilySet(maxSeries);
        List<QueryOutcome> outcomes = new ArrayList<>();
        Optional<String> error = Optional.empty();
        Future<?> login = loginCheck.startIfDue(start);
        PlanRead read = null;
        boolean unreachable = false;
        try {
            read = refreshPlan(deadline);
        } catch (TimeoutException e) {
            error = Optional.of("no answer from the server within the collection deadline");
            unreachable = true;
        } catch (SQLException | RuntimeException e) {
            error = Optional.of(describe(e));
            unreachable = e instanceof KeptConnectionLost || ConnectionFailures.lost(e);
        }
        Plan current = read == null ? null : read.plan();
        Map<String, Double> ages = Map.of();
        if (current != null) {
            lastErrors.remove("server");
            Lanes.Result result = lanes.run(current, deadline);
            ages = result.ages();
            mergeAll(current, result.ran(), out, outcomes);
        }
        boolean loginsWork = loginCheck.await(login, deadline);
        boolean up = loginsWork && !unreachable && (read == null || !read.keptConnectionLost());
        if (current == null && loginsWork) { // when logins fail, the check has already said why in one line
            logOnce("server", "cannot reach " + source.describe() + ": " + error.orElseThrow());
        }
        List<QueryDef> due = current != null
                ? current.planned().stream().map(Plan.PlannedQuery::query).toList()
                : catalog.queries();
        Duration took = Duration.between(start, Instant.now());
        int duplicates = out.duplicates();
        if (out.overLimit() > 0) {
            logOnce(
                    "limit",
                    "series limit " + maxSeries + " reached: series left out (pgmetrics_series_over_limit_total); "
                            + "raise max_series, or select fewer collectors or databases");
        } else {
            lastErrors.remove("limit");
        }
        self.write(
                out,
                constantLabels,
                up,
                current != null,
                due,
                outcomes,
                duplicates,
                out.overLimit(),
                ages,
                took.toNanos() / 1e9);
        return new CollectionResult(
                out.build(), outcomes, Optional.ofNullable(current), up, error, start, took, duplicates);
    }

    /** The plan for the server as it is now, learnt on a worker so that a server that does not answer cannot hold us past the deadline. */
    private PlanRead refreshPlan(Instant deadline) throws SQLException, TimeoutException {
        Future<PlanRead> f;
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

    /**
     * Reads the server's facts on the kept connection and plans again when they changed. Called by
     * collections and by the refresher between them, one at a time.
     */
    private synchronized PlanRead learnPlan() throws SQLException {
        ServerFactsQuery.Read read;
        boolean lost = false;
        try {
            read = readFacts();
        } catch (KeptConnectionLost e) {
            lost = true;
            loginCheck.connectionDied();
            try {
                // the kept connection died (a restart, a terminated backend): once more, on a new one
                read = readFacts();
            } catch (SQLException again) {
                // down, whatever the reason
                throw again instanceof KeptConnectionLost ? again : new KeptConnectionLost(again);
            }
        }
        ServerFacts facts = read.facts();
        if (configReloads.reloaded(read.backendPid(), read.configLoaded())) {
            // rows cached under the old settings (pg_settings' own, or any a query's ttl keeps) may be
            // stale now: every query reads afresh once
            executor.clearCache();
        }
        Plan current = plan;
        if (current == null || !current.facts().equals(facts)) {
            current = planner.plan(catalog, facts);
            if (plan != null) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "server changed (" + facts.version() + (facts.inRecovery() ? ", replica" : ", primary") + ", "
                                + facts.databases().size() + " databases); plan remade");
            }
            executor.clearCache();
            lanes.keepOnly(
                    facts.databases(),
                    current.planned().stream().map(pq -> pq.query().name()).collect(Collectors.toSet()));
            plan = current;
        }
        lanes.follow(current);
        return new PlanRead(current, lost);
    }

    /** The kept connection was lost (and, when thrown from the retry, so was the new one): pg_up is 0. */
    private static final class KeptConnectionLost extends SQLException {
        KeptConnectionLost(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    private ServerFactsQuery.Read readFacts() throws SQLException {
        Connection c = source.connection(null);
        try {
            ServerFactsQuery.Read facts = ServerFactsQuery.read(c);
            c.close();
            return facts;
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException se && ConnectionFailures.lost(se)) {
                source.lost(c);
                throw new KeptConnectionLost(se);
            }
            source.discard(c);
            throw e;
        }
    }

    /**
     * Merges what every query read (mapped on the lanes) in plan order, whatever order it arrived in; what
     * did not finish is reported as missed.
     */
    private static void mergeAll(
            Plan current, Map<Lanes.Work, QueryExecutor.Ran> done, FamilySet out, List<QueryOutcome> outcomes) {
        for (Plan.PlannedQuery pq : current.planned()) {
            List<String> databases = pq.databases().isEmpty() ? Collections.singletonList(null) : pq.databases();
            for (String db : databases) {
                QueryExecutor.Ran ran = done.get(new Lanes.Work(pq, db));
                if (ran == null) { // still running, or never started, at the deadline, and never read before
                    outcomes.add(QueryExecutor.failed(
                            pq,
                            db,
                            QueryOutcome.Status.TIMED_OUT,
                            "not finished by the collection deadline",
                            Duration.ZERO));
                    continue;
                }
                outcomes.add(ran.outcome());
                if (ran.read() != null) {
                    out.addRead(ran.read());
                }
            }
        }
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
        lanes.close();
        workers.shutdownNow();
        loginCheck.close();
    }
}
