package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.connect.ConnectionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
 *   <li>With more, one lane keeps the default database and the others go round the rest, leaving
 *       each database once its queries are done, starting where the last collection stopped. What
 *       was not refreshed by the deadline is served from its {@link LastReads last read}, with its
 *       age, so every database is in every collection once it was read once.
 * </ul>
 */
final class Lanes {

    /**
     * Connections the default database's work may spread over: two let cluster-wide queries run beside
     * each other on a server with two cores or more; more would keep backends for little gain
     * (postgres_exporter keeps one).
     */
    static final int MOST_HOME_LANES = 2;

    /** One query in one database (null: the default one, for cluster-scoped queries). */
    record Work(Plan.PlannedQuery query, String database) {}

    /** What ran or was served, by work; and each database's age in seconds (0: read now). */
    record Result(Map<Work, QueryExecutor.Ran> ran, Map<String, Double> ages) {}

    private final ConnectionSource source;
    private final QueryExecutor executor;
    private final ExecutorService workers;
    private final int lanes;
    private final LastReads lastReads = new LastReads();
    /** The database the next round starts at (the first one the last collection did not finish). */
    private volatile String resumeAt = "";

    Lanes(ConnectionSource source, QueryExecutor executor, ExecutorService workers, int lanes) {
        this.source = source;
        this.executor = executor;
        this.workers = workers;
        this.lanes = lanes;
    }

    /** Forgets last reads of databases that are gone and queries no longer planned. */
    void keepOnly(Collection<String> databases, Set<String> queries) {
        lastReads.keepOnly(databases, queries);
    }

    Result run(Plan plan, Instant deadline) {
        String home = plan.facts().database();
        List<Work> atHome = new ArrayList<>();
        TreeMap<String, List<Work>> others = new TreeMap<>();
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
        Map<Work, QueryExecutor.Ran> done = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        Set<String> finished = ConcurrentHashMap.newKeySet();
        List<String> round = List.of();
        if (others.size() < lanes) {
            int homeLanes = Math.min(MOST_HOME_LANES, lanes - others.size());
            for (int lane = 0; lane < homeLanes; lane++) {
                List<Work> share = new ArrayList<>();
                for (int i = lane; i < atHome.size(); i += homeLanes) {
                    share.add(atHome.get(i));
                }
                if (!share.isEmpty()) {
                    futures.add(workers.submit(() -> runAll(share, deadline, done)));
                }
            }
            others.values().forEach(work -> futures.add(workers.submit(() -> runAll(work, deadline, done))));
        } else {
            round = rotated(others);
            Queue<String> queue = new ConcurrentLinkedQueue<>(round);
            Runnable goRound = () -> {
                for (String db = queue.poll(); db != null && timeLeft(deadline); db = queue.poll()) {
                    if (runAll(others.get(db), deadline, done)) {
                        finished.add(db);
                    }
                    source.doneWith(db); // its place goes to the next database
                }
            };
            if (lanes == 1) {
                // one connection: the default database last, so that its connection stays for the next collection
                futures.add(workers.submit(() -> {
                    goRound.run();
                    runAll(atHome, deadline, done);
                }));
            } else {
                futures.add(workers.submit(() -> runAll(atHome, deadline, done)));
                for (int lane = 1; lane < lanes; lane++) {
                    futures.add(workers.submit(goRound));
                }
            }
        }
        await(futures, deadline);
        if (!round.isEmpty()) {
            resumeAt = round.stream()
                    .filter(db -> !finished.contains(db))
                    .findFirst()
                    .orElse(round.get(0));
        }
        return new Result(done, serveLastReads(plan, done));
    }

    /** The databases in name order, starting at {@link #resumeAt}. */
    private List<String> rotated(TreeMap<String, List<Work>> others) {
        List<String> out = new ArrayList<>(others.tailMap(resumeAt, true).keySet());
        out.addAll(others.headMap(resumeAt, false).keySet());
        return out;
    }

    /**
     * Runs work one database after the other, each database's queries together in one round trip
     * where they can be ({@link QueryExecutor#runTogether}); false when the collection was cancelled
     * or out of time first.
     */
    private boolean runAll(List<Work> work, Instant deadline, Map<Work, QueryExecutor.Ran> done) {
        Map<Optional<String>, List<Work>> byDatabase = new LinkedHashMap<>();
        work.forEach(w -> byDatabase
                .computeIfAbsent(Optional.ofNullable(w.database()), k -> new ArrayList<>())
                .add(w));
        for (Map.Entry<Optional<String>, List<Work>> e : byDatabase.entrySet()) {
            if (Thread.currentThread().isInterrupted() || !timeLeft(deadline)) {
                return false; // the rest is served from the last reads, or reported as missed
            }
            List<Work> group = e.getValue();
            List<QueryExecutor.Ran> ran = executor.runTogether(
                    group.stream().map(Work::query).toList(), e.getKey().orElse(null), deadline);
            for (int i = 0; i < group.size(); i++) {
                if (ran.get(i) == null) {
                    return false;
                }
                done.put(group.get(i), ran.get(i));
            }
        }
        return true;
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
     * Keeps this collection's database-scoped rows as the last reads, fills in what did not run in
     * time from earlier ones, and returns each database's age.
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
                    if (ran.rows() != null && !ran.outcome().cached()) {
                        lastReads.put(name, db, ran.rows(), now);
                    }
                    ages.merge(db, 0.0, Math::max);
                    continue;
                }
                lastReads.get(name, db).ifPresent(last -> {
                    double age = Duration.between(last.at(), now).toNanos() / 1e9;
                    QueryOutcome served = new QueryOutcome(
                            name,
                            pq.query().collector(),
                            Optional.of(db),
                            QueryOutcome.Status.OK,
                            Optional.empty(),
                            Duration.ZERO,
                            last.rows().rows().size(),
                            true,
                            last.rows().truncated());
                    done.put(w, new QueryExecutor.Ran(pq, db, last.rows(), served));
                    ages.merge(db, age, Math::max);
                });
            }
        }
        return ages;
    }
}
