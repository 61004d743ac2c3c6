package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.connect.ConnectionSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads, in the background, the databases that have no kept connection of their own (more
 * databases than connections), so that a collection serves their last reads at once instead of
 * logging in to each of them inside the scrape.
 *
 * <p>Up to {@code lanes} threads, one connection each, go round the databases: one never read
 * first, then the one read longest ago, once its last read is {@code interval} old (0: at once,
 * round and round). Each connection is closed as soon as its database's queries are done: a session
 * kept in a database would make the users' {@code DROP DATABASE} of it fail, and a login costs less
 * than a session kept for a minute in each of a thousand databases. Between rounds no connection is
 * opened. When nothing is due and no collection has re-read the list of databases for
 * {@link #FACTS_MAX_AGE}, it asks for it ({@link Facts}), so that new databases are read before the
 * next scrape asks for them. The threads end when there is nothing left to read.
 */
final class DatabaseRefresher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DatabaseRefresher.class.getName());

    /** How old the list of databases may grow, while no collection reads it, before the refresher reads it itself. */
    static final Duration FACTS_MAX_AGE = Duration.ofSeconds(10);

    /** The longest the queries of one database may take together (each also has its own limit). */
    private static final Duration READ_LIMIT = Duration.ofSeconds(30);

    /** Re-reads the server's facts (and with them the list of databases), then calls {@link #follow}. */
    interface Facts {
        void relearn() throws SQLException;
    }

    /** When a database was last read, and with which queries (a changed plan reads it again). */
    private record Attempt(Instant at, Set<String> queries) {}

    private final QueryExecutor executor;
    private final ConnectionSource source;
    private final LastReads lastReads;
    private final Facts facts;
    private final int lanes;
    private final Duration interval;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The databases to go round, with their queries (name order). */
    private SortedMap<String, List<Lanes.Work>> databases = new TreeMap<>();

    private final Map<String, Attempt> attempts = new HashMap<>();
    private final Set<String> reading = new HashSet<>();
    private final List<Thread> threads = new ArrayList<>();
    private Instant factsAt = Instant.now();
    private boolean relearning;
    private boolean closed;

    DatabaseRefresher(
            QueryExecutor executor,
            ConnectionSource source,
            LastReads lastReads,
            Facts facts,
            int lanes,
            Duration interval) {
        this.executor = executor;
        this.source = source;
        this.lastReads = lastReads;
        this.facts = facts;
        this.lanes = Math.max(1, lanes);
        this.interval = interval;
    }

    /**
     * The databases to go round from now on (empty: none, the threads end), as just learnt from the
     * server; starts the threads when there is work and they are not running.
     */
    void follow(SortedMap<String, List<Lanes.Work>> toRead) {
        lock.lock();
        try {
            factsAt = Instant.now();
            if (closed) {
                return;
            }
            databases = toRead;
            attempts.entrySet()
                    .removeIf(e -> !toRead.containsKey(e.getKey())
                            || !e.getValue().queries().equals(queryNames(toRead.get(e.getKey()))));
            while (!toRead.isEmpty() && threads.size() < Math.min(lanes, toRead.size())) {
                Thread t = new Thread(this::goRound, "pgmetrics-refresh");
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The list of databases was just read again, unchanged. */
    void factsRead() {
        lock.lock();
        try {
            factsAt = Instant.now();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every database has been read once (or tried), or {@code until}: a collection made
     * right after the target was created, or after new databases appeared, then has them all when
     * time allows.
     */
    void awaitFirstReads(Instant until) {
        lock.lock();
        try {
            while (!closed && !attempts.keySet().containsAll(databases.keySet())) {
                long left = Engine.nanosUntil(until);
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** One lane: reads the next due database, until there is nothing to read or the refresher is closed. */
    private void goRound() {
        try {
            while (true) {
                String db;
                List<Lanes.Work> work;
                boolean relearn = false;
                lock.lock();
                try {
                    while (true) {
                        if (closed || databases.isEmpty()) {
                            threads.remove(Thread.currentThread());
                            return;
                        }
                        Instant now = Instant.now();
                        db = nextDue(now);
                        if (db != null) {
                            break;
                        }
                        Instant factsDue = factsAt.plus(FACTS_MAX_AGE);
                        if (!relearning && !now.isBefore(factsDue)) {
                            relearning = relearn = true;
                            break;
                        }
                        Instant wake = relearning ? nextDueAt() : min(nextDueAt(), factsDue);
                        changed.awaitNanos(Math.max(
                                TimeUnit.MILLISECONDS.toNanos(1),
                                Duration.between(now, wake).toNanos()));
                    }
                    work = db == null ? List.of() : databases.get(db);
                    if (db != null) {
                        reading.add(db);
                    }
                } finally {
                    lock.unlock();
                }
                if (relearn) {
                    relearnFacts();
                } else {
                    read(db, work);
                }
            }
        } catch (InterruptedException e) {
            lock.lock();
            try {
                threads.remove(Thread.currentThread());
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under the lock: a database never read, else the one read longest ago if it is due; null when none is. */
    private String nextDue(Instant now) {
        String oldest = null;
        Instant oldestAt = null;
        for (String db : databases.keySet()) {
            if (reading.contains(db)) {
                continue;
            }
            Attempt a = attempts.get(db);
            if (a == null) {
                return db;
            }
            if (oldestAt == null || a.at().isBefore(oldestAt)) {
                oldest = db;
                oldestAt = a.at();
            }
        }
        return oldestAt != null && !now.isBefore(oldestAt.plus(interval)) ? oldest : null;
    }

    /** Under the lock: when the next database falls due (far ahead when all are being read). */
    private Instant nextDueAt() {
        Instant next = Instant.now().plus(FACTS_MAX_AGE);
        for (Map.Entry<String, Attempt> e : attempts.entrySet()) {
            if (!reading.contains(e.getKey())) {
                next = min(next, e.getValue().at().plus(interval));
            }
        }
        return next;
    }

    private void relearnFacts() {
        try {
            facts.relearn();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "reading the list of databases failed: " + Engine.describe(e));
        } finally {
            lock.lock();
            try {
                relearning = false;
                factsAt = Instant.now(); // tried: the next try waits as long as after a success
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Runs one database's queries on one connection, together in one round trip where they can be,
     * closes it, and keeps what they returned.
     */
    private void read(String db, List<Lanes.Work> work) throws InterruptedException {
        Instant deadline = Instant.now().plus(READ_LIMIT);
        List<QueryExecutor.Ran> done = new ArrayList<>(work.size());
        try {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            for (QueryExecutor.Ran ran :
                    executor.runTogether(work.stream().map(Lanes.Work::query).toList(), db, deadline)) {
                if (ran == null) {
                    break; // out of time: the rest keep their earlier reads
                }
                done.add(ran);
            }
        } finally {
            source.doneWith(db); // its session goes: the next database gets its place
            Instant at = Instant.now();
            for (QueryExecutor.Ran ran : done) {
                if (!ran.outcome().cached()) { // a TTL-cache hit keeps the time of the read that filled it
                    lastReads.record(ran, at);
                }
            }
            lock.lock();
            try {
                reading.remove(db);
                if (databases.containsKey(db)) {
                    attempts.put(db, new Attempt(at, queryNames(work)));
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private static Set<String> queryNames(List<Lanes.Work> work) {
        Set<String> names = new HashSet<>();
        for (Lanes.Work w : work) {
            names.add(w.query().query().name());
        }
        return names;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Stops going round; a database being read is given up at its next query. */
    @Override
    public void close() {
        List<Thread> running;
        lock.lock();
        try {
            closed = true;
            running = new ArrayList<>(threads);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        running.forEach(Thread::interrupt);
    }
}
