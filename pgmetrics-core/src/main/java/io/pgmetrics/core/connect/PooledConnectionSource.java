package io.pgmetrics.core.connect;

import io.pgmetrics.core.internal.connect.ConnectionFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * pgmetrics' own small pool of connections to one server, for any of its databases.
 *
 * <ul>
 *   <li><b>A hard cap</b>: never more than {@link PoolSettings#maxConnections()} physical
 *       connections, across all databases, the one {@link #checkFresh()} opens included, as the
 *       server counts them. A connection counts from before it is opened until {@link #LINGER_NANOS}
 *       after it is closed: the server ends a backend a moment after the client has gone, and until
 *       then it still counts against {@code max_connections} and a role's {@code CONNECTION LIMIT}.
 *   <li>Connections belong to one database and are kept for the next borrower (warm: no login, and
 *       a backend whose caches are filled). When a connection to another database is wanted and the
 *       cap is reached, the least recently used idle connection is closed first; when none is idle
 *       the caller waits up to {@link PoolSettings#acquireTimeout()}, then gets an
 *       {@link SQLException} saying so.
 *   <li>Every connection opens with {@code application_name} in the startup packet, and its session
 *       settings ({@code statement_timeout}, {@code lock_timeout}: {@link PoolSettings#sessionSettings()})
 *       are set in one round trip right after: queries need none to set them. Not as startup options,
 *       so that the server's own values stay readable ({@code pg_settings.reset_val}).
 *   <li>An idle connection is lent without a round trip to check it: a borrower that finds it dead
 *       ({@link ConnectionFailures#lost}) discards it and retries once. A connection given back is
 *       rolled back, set to autocommit and read-write; one that fails this, or that is older than
 *       {@link PoolSettings#maxLifetime()}, is closed. Session settings changed with {@code SET}
 *       persist: the engine runs each query in a transaction that it rolls back.
 *   <li>While new logins fail (a role at its {@code CONNECTION LIMIT}, {@code NOLOGIN}, a full
 *       server), a borrower whose database has a kept connection takes it, or waits for it, rather
 *       than fail: work meant for two connections runs on one, one part after the other.
 *   <li>Kept connections to databases other than the default one never hold up {@code DROP DATABASE},
 *       {@code ALTER DATABASE ... RENAME} or {@code CREATE DATABASE ... TEMPLATE} of them: see
 *       {@link DdlWatch}.
 *   <li>Idle connections are closed after {@link PoolSettings#idleTimeout()} by a daemon thread
 *       that runs only while the pool has connections.
 *   <li>Connections are opened with {@code new org.postgresql.Driver().connect(..)}, not through
 *       {@code DriverManager}, so that a relocated copy of the driver inside the java agent never
 *       depends on the host application's drivers.
 * </ul>
 *
 * <p>Thread-safe. Messages name the server and database, never the password.
 */
public final class PooledConnectionSource implements ConnectionSource {

    private static final System.Logger LOG = System.getLogger(PooledConnectionSource.class.getName());

    private static final long MIN_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * How long the place of a closed connection stays taken: time for its backend to end (well under
     * a millisecond on a server with a free CPU). A new connection is counted by the server only after
     * its fork and authentication, which adds a few milliseconds more. Longer would slow down going
     * through many databases: there a place frees up about every connection's lifetime (10 ms).
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** One physical connection, lent or idle. */
    static final class Slot {
        private final Connection connection;
        private final String database;
        private final long openedAt;
        private long idleSince;
        private LeasedConnection lastLease;
        /** Lent to the {@link DdlWatch} for one short query: a borrower waits for it rather than open another. */
        private boolean watched;

        Slot(Connection connection, String database, long openedAt) {
            this.connection = connection;
            this.database = database;
            this.openedAt = openedAt;
        }

        Connection connection() {
            return connection;
        }

        String database() {
            return database;
        }
    }

    /**
     * The outcome of waiting for room: an idle connection to reuse, a place to open one in (both
     * null), or an idle connection to close first, after which the caller asks again.
     */
    private record Grant(Slot idle, Slot evict) {}

    private final Dsn dsn;
    private final PoolSettings settings;
    private final Driver driver = new Driver();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition sweep = lock.newCondition();
    /** Idle connections, the most recently used first. */
    private final Deque<Slot> idle = new ArrayDeque<>();
    /** Connections lent and not yet given back. */
    private final List<Slot> lent = new ArrayList<>();
    /**
     * Why the last attempt to open a connection failed (null: it succeeded). While new logins fail, a
     * borrower waits for a connection to its database that is lent rather than try another login.
     */
    private volatile String opensFailing;
    /** Physical connections: idle, lent, being opened or being closed. */
    private int open;
    /** When the places of recently closed connections free up (System.nanoTime, soonest first). */
    private final PriorityQueue<Long> lingering = new PriorityQueue<>((a, b) -> Long.compare(a - b, 0));

    private boolean closed;
    private Thread evictor;
    /** Physical connections to databases other than the default one (idle, lent, being opened or closed). */
    private int elsewhere;
    /** Databases under DDL, left until then (System.nanoTime): see {@link DdlWatch}. */
    private final java.util.Map<String, Long> leftUntil = new java.util.HashMap<>();

    private final DdlWatch ddlWatch = new DdlWatch(this);

    public PooledConnectionSource(Dsn dsn) {
        this(dsn, PoolSettings.defaults());
    }

    public PooledConnectionSource(Dsn dsn, PoolSettings settings) {
        this.dsn = Objects.requireNonNull(dsn, "dsn");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Dsn dsn() {
        return dsn;
    }

    public PoolSettings settings() {
        return settings;
    }

    @Override
    public Connection connection(String database) throws SQLException {
        String db = database == null ? dsn.database() : database;
        if (isLeft(db)) {
            throw new SQLException(
                    "not connecting to database " + db + " on " + dsn.serverLabel()
                            + " for now: another session is dropping, renaming or copying it",
                    "55006");
        }
        long deadline = System.nanoTime() + settings.acquireTimeout().toNanos();
        while (true) {
            Grant grant = awaitRoom(db, deadline);
            if (grant.evict() != null) {
                retire(grant.evict());
                continue;
            }
            if (grant.idle() == null) {
                try {
                    return lend(openInReservedPlace(db), false);
                } catch (SQLException e) {
                    if (!holdsConnectionTo(db)) {
                        throw e;
                    }
                    continue; // logins fail, but a connection to this database is kept: take it, or wait for it
                }
            }
            if (stillGood(grant.idle())) {
                return lend(grant.idle(), false);
            }
            retire(grant.idle()); // broken while idle: try the next one, or open a new one
        }
    }

    /**
     * Opens a new connection to the default database, within the cap, and closes it again (a new
     * login: what {@code pg_up} needs to know): the connections that serve queries stay, and with
     * them their backends' warm caches (a new backend takes twice as long as a warm one over the
     * same queries). When the cap is reached, the least
     * recently used idle connection makes room, and the new connection is kept in its stead; when
     * none is idle, this waits like {@link #connection}.
     */
    @Override
    public void checkFresh() throws SQLException {
        long deadline = System.nanoTime() + settings.acquireTimeout().toNanos();
        boolean evicted = false;
        while (true) {
            Grant grant = awaitRoom(null, deadline);
            if (grant.evict() != null) {
                retire(grant.evict());
                evicted = true;
                continue;
            }
            Slot fresh = openInReservedPlace(dsn.database());
            if (evicted) {
                park(fresh);
            } else {
                retire(fresh);
            }
            return;
        }
    }

    /** Closes the idle connections to {@code database} (null: the default one): a collection is done with it. */
    @Override
    public void doneWith(String database) {
        String db = database == null ? dsn.database() : database;
        List<Slot> done = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<Slot> it = idle.iterator(); it.hasNext(); ) {
                Slot s = it.next();
                if (s.database.equals(db)) {
                    it.remove();
                    done.add(s);
                }
            }
        } finally {
            lock.unlock();
        }
        done.forEach(this::retire);
    }

    @Override
    public void discard(Connection connection) {
        if (!(connection instanceof LeasedConnection lease) || lease.pool() != this) {
            closeQuietly(connection);
            return;
        }
        Slot slot = lease.slot();
        if (lease.end()) { // the caller that ended the lease parks or retires it
            retire(slot);
            return;
        }
        // given back already: drop it unless it has been lent to someone else since
        boolean removed;
        lock.lock();
        try {
            removed = slot.lastLease == lease && idle.remove(slot);
        } finally {
            lock.unlock();
        }
        if (removed) {
            retire(slot);
        }
    }

    /** Drops {@code connection} and every idle connection: they were most likely ended with it. */
    @Override
    public void lost(Connection connection) {
        discard(connection);
        List<Slot> idleNow;
        lock.lock();
        try {
            idleNow = new ArrayList<>(idle);
            idle.clear();
        } finally {
            lock.unlock();
        }
        idleNow.forEach(this::retire);
    }

    /** Physical connections now open (idle, lent, or being opened or closed). */
    public int openConnections() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    public int idleConnections() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean canSwitchDatabase() {
        return true;
    }

    @Override
    public boolean setsSessionTimeouts() {
        return true;
    }

    @Override
    public String describe() {
        return dsn.redacted();
    }

    /** Closes the idle connections now and lent ones when they are given back. */
    @Override
    public void close() {
        List<Slot> idleNow;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            idleNow = new ArrayList<>(idle);
            idle.clear();
            changed.signalAll();
            sweep.signalAll();
        } finally {
            lock.unlock();
        }
        idleNow.forEach(this::retire);
    }

    @Override
    public String toString() {
        return "PooledConnectionSource[" + describe() + "]";
    }

    // ---- lending and giving back ----

    /**
     * Waits until there is room: an idle connection to {@code database} (null: none wanted), a
     * free place under the cap, or an idle connection to close to make one. Closes expired idle
     * connections on the way; a place that is still lingering is waited for.
     */
    private Grant awaitRoom(String database, long deadline) throws SQLException {
        List<Slot> expired = new ArrayList<>();
        try {
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        throw new SQLException("the connection pool for " + dsn.serverLabel() + " is closed", "08003");
                    }
                    long now = System.nanoTime();
                    takeExpired(now, expired);
                    endLingering(now);
                    Slot reusable = database == null ? null : takeIdle(database);
                    if (reusable != null) {
                        return new Grant(reusable, null);
                    }
                    long left = deadline - now;
                    if (database != null && worthWaitingFor(database)) {
                        if (left <= 0) {
                            throw allBusy();
                        }
                        changed.awaitNanos(left); // woken when it is given back
                        continue;
                    }
                    if (open + lingering.size() < settings.maxConnections()) {
                        open++;
                        return new Grant(null, null);
                    }
                    // a place that frees up within milliseconds is better than closing a warm connection
                    Slot leastRecentlyUsed = lingering.isEmpty() ? idle.pollLast() : null;
                    if (leastRecentlyUsed != null) {
                        return new Grant(null, leastRecentlyUsed); // closed by the caller; its place then lingers
                    }
                    if (left <= 0) {
                        throw allBusy();
                    }
                    changed.awaitNanos(lingering.isEmpty() ? left : Math.min(left, lingering.peek() - now));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(
                        "interrupted while waiting for a connection to " + dsn.serverLabel(), "08001", e);
            } finally {
                lock.unlock();
            }
        } finally {
            expired.forEach(this::retire);
        }
    }

    /** Under the lock: frees the places whose backends have had their time to end. */
    private void endLingering(long now) {
        while (!lingering.isEmpty() && lingering.peek() - now <= 0) {
            lingering.poll();
        }
    }

    private SQLException allBusy() {
        String failing = opensFailing;
        return new SQLTransientConnectionException(
                "all " + settings.maxConnections() + " connections to "
                        + dsn.serverLabel() + " stayed busy for "
                        + settings.acquireTimeout().toMillis() + " ms;"
                        + (failing == null
                                ? " raise maxConnections or run fewer queries at once"
                                : " new connections fail: " + failing),
                "08001");
    }

    /**
     * Under the lock: whether a borrower of {@code database} should wait for a connection to it that
     * is lent, rather than open another: the {@link DdlWatch} has it for one short query (a new
     * login would cost more than the wait, and a place of the budget), or new logins fail (the
     * kept connection still serves: the queries that would need a new one run on it after the
     * others, within the caller's time).
     */
    private boolean worthWaitingFor(String database) {
        boolean failing = opensFailing != null;
        for (Slot s : lent) {
            if (s.database.equals(database) && (s.watched || failing)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection to {@code database} is kept, idle or lent. */
    private boolean holdsConnectionTo(String database) {
        lock.lock();
        try {
            return lent.stream().anyMatch(s -> s.database.equals(database))
                    || idle.stream().anyMatch(s -> s.database.equals(database));
        } finally {
            lock.unlock();
        }
    }

    private Slot takeIdle(String database) {
        for (Iterator<Slot> it = idle.iterator(); it.hasNext(); ) {
            Slot s = it.next();
            if (s.database.equals(database)) {
                it.remove();
                return s;
            }
        }
        return null;
    }

    /** Moves idle connections past their idle time or lifetime to {@code out}; they still count as open. */
    private void takeExpired(long now, List<Slot> out) {
        for (Iterator<Slot> it = idle.iterator(); it.hasNext(); ) {
            Slot s = it.next();
            if (now - s.idleSince >= settings.idleTimeout().toNanos()
                    || now - s.openedAt >= settings.maxLifetime().toNanos()) {
                it.remove();
                out.add(s);
            }
        }
    }

    /** Whether the driver still thinks it open; a server that ended it is found by the borrower's first statement. */
    private static boolean stillGood(Slot slot) {
        try {
            return !slot.connection.isClosed();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private LeasedConnection lend(Slot slot, boolean toTheWatch) {
        LeasedConnection lease = new LeasedConnection(this, slot);
        lock.lock();
        try {
            slot.lastLease = lease;
            slot.watched = toTheWatch;
            lent.add(slot);
        } finally {
            lock.unlock();
        }
        return lease;
    }

    /**
     * Under the lock, as the connection is parked or its place released: it leaves {@link #lent} only
     * then (not when its lease ends), so a borrower waiting for it is never woken in between to find
     * it neither lent nor idle, and open another.
     */
    private void unlend(Slot slot) {
        if (lent.remove(slot)) {
            slot.watched = false;
        }
    }

    /** Called by {@link LeasedConnection#close()}. */
    void giveBack(LeasedConnection lease) {
        if (!lease.end()) { // ended already: parked or retired by whoever ended it
            return;
        }
        Slot slot = lease.slot();
        if (System.nanoTime() - slot.openedAt < settings.maxLifetime().toNanos()
                && !isLeft(slot.database)
                && reset(slot.connection)) {
            park(slot);
        } else {
            retire(slot);
        }
    }

    /** Puts a connection back to idle, or closes it if the pool has been closed meanwhile. */
    private void park(Slot slot) {
        boolean parked = false;
        lock.lock();
        try {
            unlend(slot);
            if (!closed) {
                slot.idleSince = System.nanoTime();
                idle.addFirst(slot);
                changed.signalAll();
                sweep.signalAll();
                startEvictorIfNeeded();
                parked = true;
            }
        } finally {
            lock.unlock();
        }
        if (!parked) {
            retire(slot);
        } else if (!slot.database.equals(dsn.database())) {
            ddlWatch.start(); // outside the lock: the watch takes its own lock, then this one
        }
    }

    /** Undoes what a borrower may have left behind; false if the connection is not fit to lend again. */
    private static boolean reset(Connection c) {
        try {
            if (c.isClosed()) {
                return false;
            }
            if (!c.getAutoCommit()) {
                c.rollback(); // no round trip when no transaction is open
                c.setAutoCommit(true);
            } else if (c.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                try (var st = c.createStatement()) {
                    st.execute("ROLLBACK"); // a BEGIN sent as SQL text
                }
            }
            if (c.isReadOnly()) {
                c.setReadOnly(false);
            }
            c.clearWarnings();
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    // ---- opening and closing ----

    /** Opens a connection in a place already counted in {@link #open}; gives the place up on failure. */
    private Slot openInReservedPlace(String database) throws SQLException {
        boolean opened = false;
        try {
            Dsn target = dsn.withDatabase(database);
            Connection c = driver.connect(target.jdbcUrl(), target.jdbcProperties());
            if (c == null) {
                throw new SQLException("pgjdbc did not accept the URL " + target.jdbcUrl(), "08001");
            }
            setSessionSettings(c);
            opened = true;
            opensFailing = null;
            if (!database.equals(dsn.database())) {
                countElsewhere(1);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "opened a connection to " + where(database));
            return new Slot(c, database, System.nanoTime());
        } catch (SQLException e) {
            opensFailing = e.getMessage();
            throw new SQLException(
                    "cannot connect to " + where(database) + ": " + e.getMessage(),
                    e.getSQLState(),
                    e.getErrorCode(),
                    e);
        } finally {
            if (!opened) {
                release(null, LINGER_NANOS); // a refused attempt had a backend too, for a moment
            }
        }
    }

    /** Sets the session's timeouts on a new connection; closes it when that fails. */
    private void setSessionSettings(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(settings.sessionSettings());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** {@code user@host:port,.../database}: enough to find the server, nothing secret. */
    private String where(String database) {
        return dsn.user().map(u -> u + "@").orElse("")
                + dsn.hosts().stream().map(HostPort::toString).collect(Collectors.joining(","))
                + "/" + database;
    }

    /** Closes a connection; its place frees up once the server has had time to end the backend. */
    private void retire(Slot slot) {
        if (!slot.database.equals(dsn.database())) {
            countElsewhere(-1);
        }
        closeQuietly(slot.connection);
        LOG.log(System.Logger.Level.DEBUG, () -> "closed a connection to " + where(slot.database));
        release(slot, LINGER_NANOS);
    }

    /** Gives up a place (and {@code slot}'s lease, if any), which frees up {@code lingerNanos} later. */
    private void release(Slot slot, long lingerNanos) {
        lock.lock();
        try {
            if (slot != null) {
                unlend(slot);
            }
            open--;
            long now = System.nanoTime();
            endLingering(now);
            lingering.add(now + lingerNanos);
            changed.signalAll();
            sweep.signalAll(); // the evictor ends with the last connection
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Slot slot) {
        if (slot != null) {
            closeQuietly(slot.connection);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // closing a broken connection: nothing more to do
        }
    }

    // ---- leaving databases under DDL (DdlWatch) ----

    private void countElsewhere(int delta) {
        lock.lock();
        try {
            elsewhere += delta;
        } finally {
            lock.unlock();
        }
    }

    /** Whether any connection to a database other than the default one is open. */
    boolean holdsOtherDatabases() {
        lock.lock();
        try {
            return elsewhere > 0 && !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An idle connection to the default database for the {@link DdlWatch}, lent without waiting or
     * opening one; null when none is idle, or when {@code onlyWhenQuiet} and any connection is lent
     * (a collection is running: the watch would take a connection one of its queries is about to
     * want). A borrower that wants it meanwhile waits for it ({@link #worthWaitingFor}).
     */
    Connection idleDefaultConnection(boolean onlyWhenQuiet) {
        Slot slot;
        lock.lock();
        try {
            slot = closed || (onlyWhenQuiet && !lent.isEmpty()) ? null : takeIdle(dsn.database());
            if (slot != null) {
                return lend(slot, true); // under the lock: a borrower finds it either idle or watched
            }
        } finally {
            lock.unlock();
        }
        return null;
    }

    /** Closes the idle connections to {@code databases} now, lent ones when given back, and opens none for a while. */
    void leave(java.util.Set<String> databases) {
        long until = System.nanoTime() + DdlWatch.LEAVE_NANOS;
        lock.lock();
        try {
            databases.forEach(db -> leftUntil.put(db, until));
        } finally {
            lock.unlock();
        }
        databases.forEach(this::doneWith);
    }

    private boolean isLeft(String database) {
        lock.lock();
        try {
            Long until = leftUntil.get(database);
            if (until != null && until - System.nanoTime() <= 0) {
                leftUntil.remove(database);
                return false;
            }
            return until != null;
        } finally {
            lock.unlock();
        }
    }

    // ---- idle eviction ----

    /**
     * Under the lock: a daemon thread that lives while the pool has connections, idle or lent. (One
     * that ended whenever the last idle connection was lent would be started again at every give-back:
     * a dozen threads per scrape.)
     */
    private void startEvictorIfNeeded() {
        if (evictor == null && !closed && !idle.isEmpty()) {
            evictor = new Thread(this::evictIdle, "pgmetrics-pool-evictor " + dsn.serverLabel());
            evictor.setDaemon(true);
            evictor.start();
        }
    }

    private void evictIdle() {
        while (true) {
            List<Slot> expired = new ArrayList<>();
            lock.lock();
            try {
                if (closed || open == 0) {
                    evictor = null;
                    return;
                }
                if (idle.isEmpty()) {
                    sweep.await(); // woken when a connection is given back or closed, or the pool is closed
                    continue;
                }
                long wait = nanosUntilNextExpiry(System.nanoTime());
                if (wait > 0) {
                    sweep.awaitNanos(wait);
                }
                takeExpired(System.nanoTime(), expired);
            } catch (InterruptedException e) {
                evictor = null;
                return;
            } finally {
                lock.unlock();
            }
            expired.forEach(this::retire);
        }
    }

    private long nanosUntilNextExpiry(long now) {
        long next = Long.MAX_VALUE;
        for (Slot s : idle) {
            long expiry = Math.min(
                    s.idleSince + settings.idleTimeout().toNanos(),
                    s.openedAt + settings.maxLifetime().toNanos());
            next = Math.min(next, expiry - now);
        }
        return next <= 0 ? 0 : Math.max(next, MIN_SWEEP_NANOS);
    }
}
