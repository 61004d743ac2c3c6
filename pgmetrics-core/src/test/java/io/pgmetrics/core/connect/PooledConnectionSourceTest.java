package io.pgmetrics.core.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pgmetrics.core.internal.connect.ConnectionFailures;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.LoginCounter;
import io.pgmetrics.testing.PgServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool against a real server, connecting as the non-superuser monitoring role with a password. */
class PooledConnectionSourceTest {

    private static final String WRONG_PASSWORD = "Wrong-Distinctive-9z!";
    private static final List<String> DATABASES = List.of("postgres", "pgm_a", "pgm_b", "pgm_c");

    private static PgServer pg;
    private static Dsn dsn;

    @BeforeAll
    static void startServer() throws Exception {
        pg = PgServer.start(PgServer.defaultMajor());
        requirePasswords(pg);
        pg.superuserSql("CREATE DATABASE pgm_a", "CREATE DATABASE pgm_b", "CREATE DATABASE pgm_c");
        dsn = Dsn.parse(pg.monitorDsn());
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.close();
        }
    }

    /** Every test closes its pool; the server must then see none of its connections. */
    @AfterEach
    void noConnectionIsLeftOpen() throws Exception {
        eventually("the monitoring role's backends are gone", () -> pg.monitorBackends() == 0);
    }

    /**
     * The embedded server trusts every local connection; a wrong password can only be tested once
     * the monitoring role must authenticate. The superuser stays trusted for the test's own SQL.
     */
    private static void requirePasswords(PgServer server) throws Exception {
        String hbaFile;
        try (Connection c = server.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW hba_file")) {
            rs.next();
            hbaFile = rs.getString(1);
        }
        Files.write(
                Path.of(hbaFile),
                List.of(
                        "local all all trust",
                        "host all postgres 127.0.0.1/32 trust",
                        "host all postgres ::1/128 trust",
                        "host all all 127.0.0.1/32 md5",
                        "host all all ::1/128 md5"));
        server.superuserSql("SELECT pg_reload_conf()");
        Dsn wrong = Dsn.parse(server.monitorDsn()).withCredentials(PgServer.MONITOR_USER, new Secret(WRONG_PASSWORD));
        eventually("the server asks for passwords", () -> {
            try (Connection c = new org.postgresql.Driver().connect(wrong.jdbcUrl(), wrong.jdbcProperties())) {
                return false;
            } catch (SQLException e) {
                return true;
            }
        });
    }

    @Test
    void theCapHoldsUnderTwentyThreads() throws Exception {
        PoolSettings two = PoolSettings.builder().maxConnections(2).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, two)) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger mostInPool = new AtomicInteger();
            AtomicInteger mostOnServer = new AtomicInteger();
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    mostInPool.accumulateAndGet(pool.openConnections(), Math::max);
                    mostOnServer.accumulateAndGet(pg.monitorBackends(), Math::max);
                }
            });
            sampler.start();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger queries = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(20);
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 20; t++) {
                threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        try (Connection c = pool.connection(null);
                                Statement st = c.createStatement()) {
                            st.execute("SELECT pg_sleep(0.003)");
                            queries.incrementAndGet();
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            running.set(false);
            sampler.join();

            assertThat(errors).isEmpty();
            assertThat(queries).hasValue(200);
            assertThat(mostInPool.get()).as("most connections the pool counted").isEqualTo(2);
            assertThat(mostOnServer.get()).as("most backends the server saw").isBetween(1, 2);
            assertThat(pg.monitorBackends()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void databasesShareTheCap() throws Exception {
        PoolSettings settings = PoolSettings.builder()
                .maxConnections(2)
                .acquireTimeout(Duration.ofSeconds(20))
                .build();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, settings)) {
            Connection a = pool.connection("pgm_a");
            Connection b = pool.connection("pgm_b");
            Future<Connection> c = other.submit(() -> pool.connection("pgm_c"));
            Thread.sleep(300);
            assertThat(c)
                    .as("a third database waits while both connections are lent")
                    .isNotDone();
            assertThat(pool.openConnections()).isEqualTo(2);

            a.close(); // idle now: closed to make room for pgm_c
            Connection cc = c.get(10, TimeUnit.SECONDS);
            assertThat(currentDatabase(cc)).isEqualTo("pgm_c");
            assertThat(pool.openConnections()).isEqualTo(2);
            eventually(
                    "the server sees pgm_b and pgm_c only",
                    () -> monitorDatabases().equals(Set.of("pgm_b", "pgm_c")));
            cc.close();
            b.close();

            // then many threads, each wanting some database: the right one every time, never a third connection
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger mostInPool = new AtomicInteger();
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    mostInPool.accumulateAndGet(pool.openConnections(), Math::max);
                    Thread.onSpinWait();
                }
            });
            sampler.start();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                long seed = t;
                threads.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 15; i++) {
                        String db = DATABASES.get(r.nextInt(DATABASES.size()));
                        try (Connection conn = pool.connection(db)) {
                            assertThat(currentDatabase(conn)).isEqualTo(db);
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                });
            }
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            running.set(false);
            sampler.join();
            assertThat(errors).isEmpty();
            assertThat(mostInPool.get()).isBetween(1, 2);
            eventually("at most two backends after the churn", () -> pg.monitorBackends() <= 2);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aCallerWaitsAtMostTheAcquireTimeoutWhenAllAreBusy() throws Exception {
        PoolSettings settings = PoolSettings.builder()
                .maxConnections(1)
                .acquireTimeout(Duration.ofMillis(300))
                .build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, settings);
                Connection held = pool.connection(null)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.connection("pgm_a"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("all 1 connections to localhost:" + pg.port() + " stayed busy for 300 ms");
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waitedMs).isGreaterThanOrEqualTo(290);
            assertThatThrownBy(pool::checkFresh)
                    .as("the fresh check counts against the cap too")
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("stayed busy");
            assertThat(currentDatabase(held)).isEqualTo("postgres");
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        PoolSettings settings =
                PoolSettings.builder().idleTimeout(Duration.ofSeconds(1)).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, settings)) {
            Connection a = pool.connection("pgm_a");
            Connection b = pool.connection("pgm_b");
            a.close();
            b.close();
            assertThat(pool.idleConnections()).isEqualTo(2);
            assertThat(pg.monitorBackends()).isEqualTo(2);
            eventually("idle connections are closed", () -> pool.openConnections() == 0);
            eventually("and gone from the server", () -> pg.monitorBackends() == 0);

            try (Connection again = pool.connection("pgm_a")) {
                assertThat(currentDatabase(again))
                        .as("the pool opens new ones afterwards")
                        .isEqualTo("pgm_a");
            }
        }
    }

    @Test
    void aConnectionPastItsLifetimeIsClosedWhenGivenBack() throws Exception {
        PoolSettings settings =
                PoolSettings.builder().maxLifetime(Duration.ofMillis(200)).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, settings)) {
            Connection c = pool.connection(null);
            Thread.sleep(300);
            c.close();
            assertThat(pool.openConnections()).isZero();
        }
    }

    @Test
    void aRestartedServerIsReachedAgainAfterDiscard() throws Exception {
        int port = Http.freePort();
        PgServer server = PgServer.start(PgServer.defaultMajor(), port, null);
        boolean serverStopped = false;
        PgServer restarted = null;
        try (PooledConnectionSource pool = new PooledConnectionSource(Dsn.parse(server.monitorDsn()))) {
            Connection lent = pool.connection(null);
            try (Connection idle = pool.connection(null)) {
                assertThat(currentDatabase(idle)).isEqualTo("postgres");
            }
            assertThat(pool.openConnections()).isEqualTo(2);

            server.close();
            serverStopped = true;
            assertThatThrownBy(() -> currentDatabase(lent)).isInstanceOf(SQLException.class);
            pool.discard(lent);
            lent.close(); // the engine may close after discarding: harmless
            assertThat(pool.openConnections()).isEqualTo(1);
            SQLException down = catchThrowableOfType(SQLException.class, pool::checkFresh);
            assertThat((Throwable) down).isNotNull();
            assertThat(down.getMessage()).contains("localhost:" + port).doesNotContain(PgServer.MONITOR_PASSWORD);

            restarted = PgServer.start(PgServer.defaultMajor(), port, null);
            // the idle connection died with the old server: lent without a round trip, its first statement
            // says it is lost, and the borrower discards it (the engine then retries once on a new one)
            Connection dead = pool.connection(null);
            SQLException lost = catchThrowableOfType(SQLException.class, () -> currentDatabase(dead));
            assertThat(ConnectionFailures.lost(lost))
                    .as("SQLSTATE %s means lost", lost.getSQLState())
                    .isTrue();
            pool.discard(dead);
            try (Connection c = pool.connection(null)) {
                assertThat(currentDatabase(c)).isEqualTo("postgres");
            }
            pool.checkFresh();
            assertThat(pool.openConnections()).isBetween(1, 2);
        } finally {
            if (restarted != null) {
                restarted.close();
            }
            if (!serverStopped) {
                server.close();
            }
        }
    }

    @Test
    void checkFreshLeavesTheWarmConnectionInPlace() throws Exception {
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn)) {
            String warmPid;
            try (Connection c = pool.connection(null)) {
                warmPid = query(c, "SELECT pg_backend_pid()");
            }
            pool.checkFresh();
            assertThat(pool.openConnections())
                    .as("the new connection is closed again")
                    .isEqualTo(1);
            try (Connection c = pool.connection(null)) {
                assertThat(query(c, "SELECT pg_backend_pid()"))
                        .as("queries keep their backend")
                        .isEqualTo(warmPid);
            }
        }
        PoolSettings one = PoolSettings.builder().maxConnections(1).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, one)) {
            String oldPid;
            try (Connection c = pool.connection(null)) {
                oldPid = query(c, "SELECT pg_backend_pid()");
            }
            pool.checkFresh();
            assertThat(pool.idleConnections())
                    .as("with a cap of 1 the new connection replaces the idle one")
                    .isEqualTo(1);
            try (Connection c = pool.connection(null)) {
                assertThat(query(c, "SELECT pg_backend_pid()")).isNotEqualTo(oldPid);
            }
        }
    }

    @Test
    void thePlaceOfAClosedConnectionIsReusedOnlyAfterItsBackendHadTimeToEnd() throws Exception {
        PoolSettings one = PoolSettings.builder().maxConnections(1).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, one)) {
            pool.connection("pgm_a").close();
            long start = System.nanoTime();
            try (Connection b = pool.connection("pgm_b")) {
                assertThat(System.nanoTime() - start)
                        .as("waited for the linger")
                        .isGreaterThanOrEqualTo(PooledConnectionSource.LINGER_NANOS);
                assertThat(currentDatabase(b)).isEqualTo("pgm_b");
            }
        }
    }

    @Test
    void doneWithClosesTheIdleConnectionsToThatDatabase() throws Exception {
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn)) {
            pool.connection("pgm_a").close();
            Connection lent = pool.connection(null);
            pool.doneWith("pgm_a");
            assertThat(pool.idleConnections()).isZero();
            assertThat(pool.openConnections()).as("a lent connection stays").isEqualTo(1);
            lent.close();
            pool.doneWith(null);
            assertThat(pool.openConnections()).isZero();
        }
    }

    @Test
    void checkFreshFailsWhenTheServerRefusesNewConnections() throws Exception {
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn)) {
            pool.checkFresh();
            try (Connection c = pool.connection(null)) {
                currentDatabase(c);
            }
            pg.superuserSql("ALTER ROLE " + PgServer.MONITOR_USER + " CONNECTION LIMIT 0");
            try {
                SQLException refused = catchThrowableOfType(SQLException.class, pool::checkFresh);
                assertThat((Throwable) refused).as("pg_up must read 0").isNotNull();
                assertThat(refused.getMessage()).contains("too many connections");
                try (Connection c = pool.connection(null)) {
                    assertThat(currentDatabase(c))
                            .as("a pooled connection still works")
                            .isEqualTo("postgres");
                }
            } finally {
                pg.superuserSql("ALTER ROLE " + PgServer.MONITOR_USER + " CONNECTION LIMIT -1");
            }
            pool.checkFresh();
        }
    }

    @Test
    void connectionsCallThemselvesPgmetrics() throws Exception {
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn);
                Connection c = pool.connection(null)) {
            assertThat(query(c, "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"))
                    .isEqualTo("pgmetrics");
        }
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn.withParameter("application_name", "mine"));
                Connection c = pool.connection(null)) {
            assertThat(query(c, "SHOW application_name")).isEqualTo("mine");
        }
    }

    @Test
    void theSessionTimeoutsCancelASlowStatementButLeaveTheServersValuesReadable() throws Exception {
        pg.superuserSql("ALTER ROLE " + PgServer.MONITOR_USER + " SET statement_timeout = '42s'");
        PoolSettings oneSecond =
                PoolSettings.builder().statementTimeout(Duration.ofSeconds(1)).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, oneSecond);
                Connection c = pool.connection(null);
                Statement st = c.createStatement()) {
            assertThat(query(c, "SHOW statement_timeout")).isEqualTo("1s");
            assertThat(query(c, "SHOW lock_timeout")).isEqualTo("500ms");
            assertThat(query(c, "SELECT reset_val || ' ' || source FROM pg_settings WHERE name = 'statement_timeout'"))
                    .as("what a new session gets from the server, under our own")
                    .isEqualTo("42000 session");
            // no client-side timeout: only the session's statement_timeout can end it
            assertThatThrownBy(() -> st.execute("SELECT pg_sleep(30)"))
                    .isInstanceOf(SQLException.class)
                    .matches(ConnectionFailures::cancelled, "cancelled by statement_timeout");
        } finally {
            pg.superuserSql("ALTER ROLE " + PgServer.MONITOR_USER + " RESET statement_timeout");
        }
    }

    /**
     * The DDL watch looks at the locks once a second on an idle connection to the default database
     * while connections to other databases are kept. A borrower of that connection must never find
     * it taken by the watch and log in again beside it: the server counts every login.
     */
    @Test
    void theDdlWatchNeverMakesABorrowerOpenAnotherConnection() throws Exception {
        assumeThat(pg.major()).as("login event triggers").isGreaterThanOrEqualTo(17);
        LoginCounter.install(pg, "postgres", PgServer.MONITOR_USER);
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn)) {
            try (Connection other = pool.connection("pgm_a");
                    Connection home = pool.connection(null)) {
                query(other, "SELECT 1"); // kept: the watch runs from now on
                query(home, "SELECT 1");
            }
            long before = LoginCounter.count(pg, List.of("postgres"));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * DdlWatch.INTERVAL_MILLIS);
            int borrowed = 0;
            while (System.nanoTime() < until) { // collections, sped up: short gaps for the watch to step into
                try (Connection c = pool.connection(null)) {
                    query(c, "SELECT 1");
                }
                borrowed++;
                Thread.sleep(1);
            }
            assertThat(LoginCounter.count(pg, List.of("postgres")) - before)
                    .as("new logins to the default database over %d borrows while the watch ran", borrowed)
                    .isZero();
            assertThat(pool.openConnections()).isEqualTo(2);
        }
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        Dsn wrong = dsn.withCredentials(PgServer.MONITOR_USER, new Secret(WRONG_PASSWORD));
        try (PooledConnectionSource pool = new PooledConnectionSource(wrong)) {
            for (SQLException e : List.of(
                    catchThrowableOfType(SQLException.class, () -> pool.connection(null)),
                    catchThrowableOfType(SQLException.class, pool::checkFresh))) {
                assertThat((Throwable) e).isNotNull();
                assertThat(e.getSQLState()).isEqualTo("28P01");
                assertThat(e.getMessage())
                        .contains("password authentication failed")
                        .contains(PgServer.MONITOR_USER);
                for (Throwable t = e; t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(WRONG_PASSWORD);
                    assertThat(t.toString()).doesNotContain(WRONG_PASSWORD);
                }
            }
            assertThat(pool.openConnections()).isZero();
            assertThat(pool.describe()).doesNotContain(WRONG_PASSWORD).contains("****");
            assertThat(pool.toString()).doesNotContain(WRONG_PASSWORD);
        }
    }

    @Test
    void discardDropsAConnectionButNotOneLentAgain() throws Exception {
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn)) {
            Connection first = pool.connection(null);
            first.close();
            Connection second = pool.connection(null); // the same physical connection, lent again
            assertThat(pool.openConnections()).isEqualTo(1);
            assertThatThrownBy(first::createStatement)
                    .as("a lease ends with close()")
                    .isInstanceOf(SQLException.class);
            pool.discard(first); // late discard of an old lease: must not take the connection from its new borrower
            assertThat(currentDatabase(second)).isEqualTo("postgres");
            pool.discard(second);
            assertThat(pool.openConnections()).isZero();
            assertThat(second.isClosed()).isTrue();
            second.close();

            Connection third = pool.connection(null);
            third.close();
            pool.discard(third); // discard after close, nobody else has it: dropped
            assertThat(pool.openConnections()).isZero();
            pool.discard(null);
        }
    }

    @Test
    void aConnectionIsResetWhenGivenBack() throws Exception {
        PoolSettings one = PoolSettings.builder().maxConnections(1).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, one)) {
            try (Connection c = pool.connection(null)) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
                query(c, "SELECT 1");
            }
            try (Connection c = pool.connection(null);
                    Statement st = c.createStatement()) {
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(c.isReadOnly()).isFalse();
                assertThat(query(c, "SHOW transaction_read_only")).isEqualTo("off");
                st.execute("BEGIN");
                st.execute("SET LOCAL statement_timeout = 4321");
            }
            try (Connection c = pool.connection(null)) {
                assertThat(query(c, "SHOW statement_timeout"))
                        .as("the open transaction was rolled back")
                        .isNotEqualTo("4321ms");
            }
            assertThat(pool.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aClosedPoolRefusesAndClosesWhatComesBack() throws Exception {
        PooledConnectionSource pool = new PooledConnectionSource(dsn);
        Connection lent = pool.connection(null);
        pool.close();
        assertThatThrownBy(() -> pool.connection(null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("closed");
        assertThat(pool.openConnections()).isEqualTo(1);
        lent.close();
        assertThat(pool.openConnections()).isZero();
        assertThat(pool.canSwitchDatabase()).isTrue();
    }

    // ---- helpers ----

    private static String currentDatabase(Connection c) throws SQLException {
        return query(c, "SELECT current_database()");
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Set<String> monitorDatabases() {
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT datname FROM pg_stat_activity WHERE usename = '" + PgServer.MONITOR_USER + "'")) {
            Set<String> names = new TreeSet<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
