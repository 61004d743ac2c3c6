package io.pgmetrics.core.connect;

import io.pgmetrics.core.internal.connect.ConnectionFailures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a pool's connections to databases other than the default one from making users' DDL fail.
 *
 * <p>{@code DROP DATABASE}, {@code ALTER DATABASE ... RENAME} and {@code CREATE DATABASE ... TEMPLATE}
 * wait about 5 s for other sessions to leave the database and then fail. Before they wait, they lock
 * the database object ({@code AccessExclusiveLock}, or {@code ShareLock} for a template), and a new
 * login to it takes {@code RowExclusiveLock} and so waits behind them. So while the pool holds
 * connections to other databases, this looks once every {@link #INTERVAL_MILLIS} ms, on an idle
 * connection to the default database, for such locks, and has the pool leave those databases at once
 * (idle connections closed, lent ones when given back, none opened for a while).
 *
 * <p>Server cost: one {@code pg_locks} query per second per pool, and only while connections to other
 * databases are kept (it reads the lock table; well under a millisecond on a normal server).
 *
 * <p>It does not compete with collections for the connection: it looks only while no connection is
 * lent (between collections), and when collections keep the pool busy, at the latest
 * {@link #AT_LATEST_NANOS} after its last look, on whatever default connection is idle then; a
 * borrower that wants that connection meanwhile waits for it (one short query) instead of opening
 * another. A tick with no idle default connection is skipped.
 */
final class DdlWatch {

    private static final System.Logger LOG = System.getLogger(DdlWatch.class.getName());

    /** How often the locks are looked at: well inside the 5 s the DDL waits. */
    static final long INTERVAL_MILLIS = 1000;

    /** Also the longest a borrower waits for the watch's connection. */
    private static final int QUERY_TIMEOUT_SECONDS = 1;

    /**
     * The longest between two looks while collections keep the pool busy: with the interval and the
     * query's timeout, a DDL is seen and its database left within 4 s, inside the 5 s it waits.
     */
    static final long AT_LATEST_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Databases some other session holds or waits for a lock on, other than a login's. */
    static final String SQL = "SELECT DISTINCT d.datname FROM pg_locks l JOIN pg_database d ON d.oid = l.objid"
            + " WHERE l.locktype = 'object' AND l.database = 0 AND l.classid = 'pg_database'::regclass"
            + " AND l.mode <> 'RowExclusiveLock' AND l.pid <> pg_backend_pid()";

    private final PooledConnectionSource pool;
    private Thread thread;
    /** When the locks were last looked at (System.nanoTime); only the watch's thread uses it. */
    private long lastLook = System.nanoTime();

    DdlWatch(PooledConnectionSource pool) {
        this.pool = pool;
    }

    /** Starts watching unless it already does; the watch ends by itself when there is nothing to watch. */
    synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::watch, "pgmetrics-ddl-watch " + pool.dsn().serverLabel());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void watch() {
        try {
            while (true) {
                Thread.sleep(INTERVAL_MILLIS);
                synchronized (this) {
                    if (!pool.holdsOtherDatabases()) {
                        thread = null;
                        return;
                    }
                }
                Set<String> changing = look();
                if (!changing.isEmpty()) {
                    LOG.log(System.Logger.Level.INFO, "DDL waits on database(s) " + changing + ": leaving them");
                    pool.leave(changing);
                }
            }
        } catch (InterruptedException e) {
            synchronized (this) {
                thread = null;
            }
        }
    }

    /** The databases under DDL now, as seen on an idle default-database connection; none when it did not look. */
    private Set<String> look() {
        boolean overdue = System.nanoTime() - lastLook >= AT_LATEST_NANOS;
        Connection c = pool.idleDefaultConnection(!overdue);
        if (c == null) {
            return Set.of();
        }
        lastLook = System.nanoTime();
        Set<String> out = new HashSet<>();
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = st.executeQuery(SQL)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            c.close();
        } catch (SQLException | RuntimeException e) {
            if (ConnectionFailures.unusable(e)) {
                pool.discard(c);
            }
            closeQuietly(c);
            LOG.log(System.Logger.Level.DEBUG, () -> "DDL watch failed: " + e.getMessage());
        }
        return out;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // given back already
        }
    }

    /** How long a database stays left after its DDL was seen: new logins to it would only wait. */
    static final long LEAVE_NANOS = TimeUnit.SECONDS.toNanos(10);
}
