package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.connect.ConnectionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Spreads a plan's queries over {@code lanes} connections (one worker each), so that the same
 * connections serve the same databases from one collection to the next:
 *
 * <ul>
 *   <li>The default database's work (cluster-scoped queries and its own database-scoped ones) stays
 *       there; every other database's queries run back to back on one connection.
 *   <li>With fewer other databases than lanes, each has a lane of its own and its connection is
 *       kept; the spare lanes, {@value #MOST_HOME_LANES} at most, share the default database's work.
 *   <li>With more, one lane keeps the default database and the others are read in the background by
 *       the {@link DatabaseRefresher} on the remaining lanes, each once per refresh interval; a
 *       collection serves their {@link LastReads last reads}, with their age, so every database is
 *       in every collection once it was read once.
 * </ul>
 */
final class Lanes implements AutoCloseable {

    /**
     * Connections the default database's work may spread over: two let cluster-wide queries run beside
     * each other on a server with two cores or more; more would keep backends for little gain
     * (postgres_exporter keeps one).
     */
    static final int MOST_HOME_LANES = 2;

    /**
     * A collection that finds databases never read waits for them for 1/4 of its time at most. Waiting
     * longer buys little: the background reader goes on either way, and in that time it reads a few
     * dozen databases (about 14 a second on a loaded 2-core machine with SCRAM), while mapping and
     * writing 100,000 series of the others took seconds at load 9 (half the time was too long there:
     * median 10.2 s against a 10 s timeout).
     */
    private static final int FIRST_READS_WAIT_SHARE = 4;

    /** Time kept, at the end of a collection, to map and serve what was read. */
    private static final Duration SERVE_MARGIN = Duration.ofMillis(100);

    /**
     * One query in one database (null: the default one, for cluster-scoped queries). Equal by the
     * planned query's identity, not its contents: a collection looks up every query's rows by this key,
     * and hashing a whole {@code QueryDef} (its SQL, columns and variants) per lookup was a few percent
     * of a scrape's CPU. Keys therefore match only within one plan: {@link #run} splits the very plan
     * the collection maps.
     */
    record Work(Plan.PlannedQuery query, String database) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Work w && w.query == query && Objects.equals(w.database, database);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(query) + Objects.hashCode(database);
        }
    }

    /** What ran or was served, by work; and each database's age in seconds (0: read now). */
    record Result(Map<Work, QueryExecutor.Ran> ran, Map<String, Double> ages) {}

    /**
     * A plan's work: the default database's, and every other database's (name order); and, of those,
     * the queries that refresh in the background ({@link QueryDef#refreshInBackground()}).
     */
    private record Split(
            Plan plan, List<Work> atHome, SortedMap<String, List<Work>> others, List<Work> refreshedLater) {}

    private final QueryExecutor executor;
    private final ExecutorService workers;
    private final int lanes;
    private final LastReads lastReads = new LastReads();
    private final DatabaseRefresher refresher;
    private volatile Split split;

    Lanes(
            ConnectionSource source,
            QueryExecutor executor,
            ExecutorService workers,
            int lanes,
            Duration refreshInterval,
            DatabaseRefresher.Facts facts) {
        this.executor = executor;
        this.workers = workers;
        this.lanes = lanes;
        this.refresher =
                new DatabaseRefresher(executor, source, lastReads, facts, Math.max(1, lanes - 1), refreshInterval);
    }

    /** Forgets last reads of databases that are gone and queries no longer planned. */
    void keepOnly(Collection<String> databases, Set<String> queries) {
        lastReads.keepOnly(databases, queries);
    }

    /**
     * Takes the plan just learnt from the server: with more other databases than lanes, the
     * refresher goes round them from now on; with fewer, each gets a kept lane in collections.
     */
    void follow(Plan plan) {
        Split current = split;
        if (current != null && current.plan() == plan) {
            refresher.factsRead();
            return;
        }
        current = split(plan);
        split = current;
        refresher.follow(inRotation(current) ? current.others() : new TreeMap<>());
    }

    private boolean inRotation(Split s) {
        return s.others().size() >= lanes;
    }

    private static Split split(Plan plan) {
        String home = plan.facts().database();
        List<Work> atHome = new ArrayList<>();
        SortedMap<String, List<Work>> others = new TreeMap<>();
        for (Plan.PlannedQuery pq : plan.planned()) {
            if (pq.databases().isEmpty()) {
                atHome.add(new Work(pq, null));
            }
            for (String db : pq.databases()) {
                if (db.equals(home)) {
                    atHome.add(new Work(pq, db));
                } else {
                    others.computeIfAbsent(db, k -> new ArrayList<>()).add(new Work(pq, db));
                }
            }
        }
        List<Work> refreshedLater = new ArrayList<>();
        atHome.stream().filter(w -> w.query().query().refreshInBackground()).forEach(refreshedLater::add);
        others.values()
                .forEach(work -> work.stream()
                        .filter(w -> w.query().query().refreshInBackground())
                        .forEach(refreshedLater::add));
        return new Split(plan, atHome, others, refreshedLater);
    }

    Result run(Plan plan, Instant deadline) {
        Split s = split;
        if (s == null || s.plan() != plan) {
            follow(plan);
            s = split;
            if (s.plan() != plan) {
                s = split(plan); // another plan was learnt meanwhile: keys must come from the one mapped
            }
        }
        Map<Work, QueryExecutor.Ran> done = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        List<Work> atHome = s.atHome();
        if (!inRotation(s)) {
            int homeLanes = Math.min(MOST_HOME_LANES, lanes - s.others().size());
            for (int lane = 0; lane < homeLanes; lane++) {
                List<Work> share = new ArrayList<>();
                for (int i = lane; i < atHome.size(); i += homeLanes) {
                    share.add(atHome.get(i));
                }
                if (!share.isEmpty()) {
                    futures.add(workers.submit(() -> runAll(share, deadline, done)));
                }
            }
            s.others().values().forEach(work -> futures.add(workers.submit(() -> runAll(work, deadline, done))));
        } else {
            futures.add(workers.submit(() -> runAll(atHome, deadline, done)));
            // databases never read yet (a new target, new databases): wait for them, but a quarter of the time
            // left at most (FIRST_READS_WAIT_SHARE)
            Instant now = Instant.now();
            refresher.awaitFirstReads(
                    now.plus(Duration.between(now, deadline.minus(SERVE_MARGIN)).dividedBy(FIRST_READS_WAIT_SHARE)));
        }
        await(futures, deadline);
        refreshLater(s);
        return new Result(done, serveLastReads(plan, done));
    }

    /**
     * Reads again what was served past its ttl, on a worker the collection does not wait for. It starts
     * once the collection's own work is done, so the connections it just used are idle: the refresh
     * takes one of them rather than opening another.
     */
    private void refreshLater(Split s) {
        List<Work> due = s.refreshedLater().stream()
                .filter(w -> executor.dueForRefresh(w.query(), w.database()))
                .toList();
        if (due.isEmpty()) {
            return;
        }
        try {
            workers.submit(() -> due.forEach(w -> executor.refreshDue(w.query(), w.database())));
        } catch (RejectedExecutionException e) {
            // closing: nothing to refresh for
        }
    }

    /**
     * Runs work one database after the other, each database's queries together in one round trip
     * where they can be ({@link QueryExecutor#runTogether}), until the collection is cancelled or out
     * of time.
     */
    private void runAll(List<Work> work, Instant deadline, Map<Work, QueryExecutor.Ran> done) {
        Map<Optional<String>, List<Work>> byDatabase = new LinkedHashMap<>();
        work.forEach(w -> byDatabase
                .computeIfAbsent(Optional.ofNullable(w.database()), k -> new ArrayList<>())
                .add(w));
        for (Map.Entry<Optional<String>, List<Work>> e : byDatabase.entrySet()) {
            if (Thread.currentThread().isInterrupted() || !timeLeft(deadline)) {
                return; // the rest is reported as missed
            }
            List<Work> group = e.getValue();
            List<QueryExecutor.Ran> ran = executor.runTogether(
                    group.stream().map(Work::query).toList(), e.getKey().orElse(null), deadline);
            for (int i = 0; i < group.size(); i++) {
                if (ran.get(i) == null) {
                    return;
                }
                done.put(group.get(i), ran.get(i));
            }
        }
    }

    private static boolean timeLeft(Instant deadline) {
        return Duration.between(Instant.now(), deadline).toMillis() >= 10;
    }

    private static void await(List<Future<?>> futures, Instant deadline) {
        for (Future<?> f : futures) {
            try {
                f.get(Engine.nanosUntil(deadline), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true); // what it finished is used; the rest is served from the last reads or reported
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // reported from the plan: no outcome means it did not finish
            }
        }
    }

    /**
     * Keeps this collection's database-scoped rows as the last reads, fills in what it did not read
     * from earlier reads (a failed last attempt is reported, with the older rows), and returns each
     * database's age.
     */
    private Map<String, Double> serveLastReads(Plan plan, Map<Work, QueryExecutor.Ran> done) {
        Instant now = Instant.now();
        Map<String, Double> ages = new TreeMap<>();
        for (Plan.PlannedQuery pq : plan.planned()) {
            String name = pq.query().name();
            for (String db : pq.databases()) {
                Work w = new Work(pq, db);
                QueryExecutor.Ran ran = done.get(w);
                if (ran != null) {
                    if (ran.read() != null && !ran.outcome().cached()) {
                        lastReads.put(name, db, ran.read(), now);
                    }
                    ages.merge(db, 0.0, Math::max);
                    continue;
                }
                Optional<LastReads.Read> last = lastReads.get(name, db);
                Optional<QueryExecutor.Ran> failed = lastReads.failure(name, db);
                if (last.isEmpty() && failed.isEmpty()) {
                    continue; // never read: reported as not finished
                }
                QueryOutcome outcome = failed.map(QueryExecutor.Ran::outcome)
                        .orElseGet(() -> served(pq, db, last.orElseThrow().read()));
                done.put(
                        w,
                        new QueryExecutor.Ran(
                                pq, db, last.map(LastReads.Read::read).orElse(null), outcome));
                last.ifPresent(l -> ages.merge(db, Duration.between(l.at(), now).toNanos() / 1e9, Math::max));
            }
        }
        return ages;
    }

    private static QueryOutcome served(Plan.PlannedQuery pq, String db, MappedRead read) {
        return new QueryOutcome(
                pq.query().name(),
                pq.query().collector(),
                Optional.of(db),
                QueryOutcome.Status.OK,
                Optional.empty(),
                Duration.ZERO,
                read.rows(),
                true,
                read.truncated());
    }

    @Override
    public void close() {
        refresher.close();
    }
}
