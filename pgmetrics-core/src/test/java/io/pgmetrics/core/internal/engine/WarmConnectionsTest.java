package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.connect.PoolSettings;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.testing.LoginCounter;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.ScramRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection model with real authentication ({@code scram-sha-256}): kept connections, pg_up's
 * login check, the budget, and what a lost backend costs. New logins are counted by the server
 * itself: a login event trigger (PostgreSQL 17+) in every database bumps a sequence for the role.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarmConnectionsTest {

    private static final String ROLE = "pgm_warm";
    private static final String PASSWORD = "warm-Pw-9";
    private static final List<String> DATABASES = List.of("postgres", "wc_a", "wc_b");

    static PgServer pg;
    static String dsn;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        assumeThat(pg.major()).as("login event triggers").isGreaterThanOrEqualTo(17);
        dsn = ScramRole.create(pg, ROLE, PASSWORD);
        pg.superuserSql("CREATE DATABASE wc_a", "CREATE DATABASE wc_b");
        for (String db : DATABASES) {
            countLoginsIn(db);
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @AfterEach
    void loginsAllowed() {
        pg.superuserSql("ALTER ROLE " + ROLE + " LOGIN");
    }

    static void countLoginsIn(String db) {
        LoginCounter.install(pg, db, ROLE);
    }

    static long logins(List<String> databases) throws Exception {
        return LoginCounter.count(pg, databases);
    }

    static Catalog catalog() {
        return Catalog.of(
                QueryDef.builder("wc_auth")
                        .sql("SELECT (system_user LIKE 'scram-sha-256:%')::int AS scram")
                        .column(ColumnDef.gauge("scram", ""))
                        .build(),
                QueryDef.builder("wc_activity")
                        .sql("SELECT count(*) AS n FROM pg_stat_activity")
                        .column(ColumnDef.gauge("n", ""))
                        .build(),
                QueryDef.builder("wc_tables")
                        .scope(Scope.DATABASE)
                        .sql("SELECT count(*) AS n FROM pg_class")
                        .column(ColumnDef.gauge("n", ""))
                        .build());
    }

    @Test
    void aSteadyStateCollectionOpensNoConnection() throws Exception {
        try (PgMetrics m = PgMetrics.builder().dsn(dsn).catalog(catalog()).build()) {
            for (int i = 0; i < 2; i++) {
                assertThat(m.collect().failures()).isEmpty(); // the first opens the kept connections and checks a login
            }
            long before = logins(DATABASES);
            for (int i = 0; i < 10; i++) {
                CollectionResult c = m.collect();
                assertThat(c.up()).isTrue();
                assertThat(c.failures()).isEmpty();
                assertThat(c.family("wc_auth_scram").orElseThrow().value(Labels.EMPTY))
                        .as("authenticated with SCRAM")
                        .contains(1.0);
                for (String db : DATABASES) {
                    assertThat(c.family("wc_tables_n").orElseThrow().value(Labels.of("datname", db)))
                            .isPresent();
                }
            }
            assertThat(logins(DATABASES) - before)
                    .as("new logins over 10 collections in steady state")
                    .isZero();
        }
    }

    @Test
    void pgUpTurnsZeroWithinTheIntervalWhenLoginsAreRefusedWhileTheKeptConnectionStillServes() throws Exception {
        Duration interval = Duration.ofSeconds(1);
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(catalog())
                .loginCheckInterval(interval)
                .build()) {
            assertThat(m.collect().up()).isTrue();
            // the default database's work spreads over two connections; a lane that finished before the
            // other started leaves one kept, so collect until both are (the claim below is about kept ones)
            for (int i = 0; i < 50 && backendsIn("postgres") < Lanes.MOST_HOME_LANES; i++) {
                assertThat(m.collect().up()).isTrue();
            }
            pg.superuserSql("ALTER ROLE " + ROLE + " NOLOGIN");
            long refused = System.nanoTime();
            // The last successful login was before the refusal, so a collection that starts one interval
            // after it must check again and fail: an order of events, not a speed (the machine may be loaded).
            CollectionResult c;
            boolean startedAfterTheInterval;
            do {
                startedAfterTheInterval = System.nanoTime() - refused >= interval.toNanos();
                c = m.collect();
                if (!startedAfterTheInterval) {
                    Thread.sleep(50);
                }
            } while (!startedAfterTheInterval);
            assertThat(c.up())
                    .as("pg_up in the first collection that started one interval after logins were refused")
                    .isFalse();
            assertThat(c.failures())
                    .as("the kept connections still serve the queries")
                    .isEmpty();

            pg.superuserSql("ALTER ROLE " + ROLE + " LOGIN");
            assertThat(m.collect().up())
                    .as("checked again at once while logins failed")
                    .isTrue();
        }
    }

    /**
     * The default database's work spreads over two lanes. When the server refuses new logins and only
     * one connection to it is kept, the second lane's queries run on that one after the first lane's,
     * rather than fail: a role allowed one connection keeps exactly one.
     */
    @Test
    void withLoginsRefusedAndOneConnectionKeptEveryQueryStillRuns() throws Exception {
        pg.superuserSql("ALTER ROLE " + ROLE + " CONNECTION LIMIT 1");
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(catalog())
                .databases(List.of("postgres"), List.of())
                .build()) {
            for (int i = 0; i < 50 && backendsIn("postgres") != 1; i++) {
                m.collect(); // until one connection is kept (the login check and the lanes race for the one place)
            }
            assertThat(backendsIn("postgres")).as("connections kept").isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                CollectionResult c = m.collect();
                assertThat(c.failures())
                        .as("queries of the lane without a connection of its own")
                        .isEmpty();
                assertThat(c.family("wc_activity_n")).isPresent();
                assertThat(c.family("wc_auth_scram")).isPresent();
                assertThat(backendsIn("postgres")).as("connections kept").isEqualTo(1);
            }
        } finally {
            pg.superuserSql("ALTER ROLE " + ROLE + " CONNECTION LIMIT -1");
        }
    }

    @Test
    void pgUpTurnsZeroAtOnceWhenTheKeptConnectionIsTerminatedAndTheNextCollectionRecovers() throws Exception {
        try (PgMetrics m = PgMetrics.builder().dsn(dsn).catalog(catalog()).build()) {
            assertThat(m.collect().up()).isTrue();
            assertThat(m.collect().up()).isTrue();
            terminateBackendsOfRole();
            CollectionResult lost = m.collect();
            assertThat(lost.up())
                    .as("pg_up in the collection that found its kept connection dead")
                    .isFalse();
            assertThat(lost.failures())
                    .as("every query retried once on a new connection")
                    .isEmpty();
            assertThat(lost.family("wc_activity_n"))
                    .as("the series are there all the same")
                    .isPresent();
            CollectionResult next = m.collect();
            assertThat(next.up()).isTrue();
            assertThat(next.failures()).isEmpty();
        }
    }

    @Test
    void aBackendKilledMidCollectionCostsThatQueryNotTheTarget() throws Exception {
        QueryDef slow = QueryDef.builder("wc_slow")
                .sql("SELECT 1 AS one FROM pg_sleep(0.8)")
                .column(ColumnDef.gauge("one", ""))
                .build();
        List<QueryDef> queries = new ArrayList<>(catalog().queries());
        queries.add(slow);
        try (PgMetrics m =
                PgMetrics.builder().dsn(dsn).catalog(new Catalog(queries)).build()) {
            assertThat(m.collect().failures()).isEmpty();
            CompletableFuture<CollectionResult> running = CompletableFuture.supplyAsync(m::collect);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int killed = 0;
            while (killed == 0 && System.nanoTime() < deadline) {
                killed = sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '" + ROLE
                        + "' AND query LIKE '%pg_sleep(0.8)%' AND state = 'active'");
            }
            assertThat(killed).as("backends killed mid-query").isEqualTo(1);
            CollectionResult c = running.get(10, TimeUnit.SECONDS);
            assertThat(c.up()).as("the target is up").isTrue();
            assertThat(c.failures().stream().map(QueryOutcome::query).toList())
                    .as("what failed when the slow query's backend was killed")
                    .isSubsetOf("wc_slow");
            for (String db : DATABASES) {
                assertThat(c.family("wc_tables_n").orElseThrow().value(Labels.of("datname", db)))
                        .isPresent();
            }
            CollectionResult next = m.collect();
            assertThat(next.up()).isTrue();
            assertThat(next.failures()).isEmpty();
        }
    }

    @Test
    void theBudgetHoldsUnderAHundredConcurrentCollectorsAndManyDatabases() throws Exception {
        List<String> many = new ArrayList<>(DATABASES);
        for (int i = 0; i < 9; i++) {
            String db = "wc_many_" + i;
            pg.superuserSql("CREATE DATABASE " + db);
            many.add(db);
        }
        int budget = 3;
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger most = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try (Connection c = pg.superuserConnection();
                    Statement st = c.createStatement()) {
                while (sampling.get()) {
                    try (ResultSet rs =
                            st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + ROLE + "'")) {
                        rs.next();
                        most.accumulateAndGet(rs.getInt(1), Math::max);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sampler.start();
        ExecutorService callers = Executors.newFixedThreadPool(100);
        ConcurrentLinkedQueue<CollectionResult> collections = new ConcurrentLinkedQueue<>();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(catalog())
                .poolSettings(PoolSettings.builder().maxConnections(budget).build())
                .build()) {
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int t = 0; t < 100; t++) {
                all.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < 3; i++) {
                                collections.add(m.collect(Duration.ofSeconds(5)));
                            }
                        },
                        callers));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
            sampling.set(false);
            sampler.join();
        }
        for (String db : many.subList(DATABASES.size(), many.size())) {
            pg.superuserSql("DROP DATABASE " + db + " WITH (FORCE)");
        }
        assertThat(collections).hasSize(300).allMatch(CollectionResult::up);
        assertThat(most.get()).as("most backends of the role at once").isBetween(1, budget);
    }

    @Test
    void dropRenameAndTemplateCopyWhileCollectingEverySecondSucceedAtTheFirstTry() throws Exception {
        pg.superuserSql("CREATE DATABASE wc_drop", "CREATE DATABASE wc_rename", "CREATE DATABASE wc_template");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger collections = new AtomicInteger();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(catalog())
                .databases(List.of("postgres", "wc_drop", "wc_rename", "wc_template"), List.of())
                .build()) {
            Thread scraper = collectEverySecond(m, running, collections);
            try {
                for (String[] ddl : new String[][] {
                    {"wc_rename", "ALTER DATABASE wc_rename RENAME TO wc_renamed"},
                    {"wc_drop", "DROP DATABASE wc_drop"},
                    {"wc_template", "CREATE DATABASE wc_copy TEMPLATE wc_template"}
                }) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (backendsIn(ddl[0]) == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(backendsIn(ddl[0]))
                            .as("a kept connection in %s before: %s", ddl[0], ddl[1])
                            .isEqualTo(1);
                    long t0 = System.nanoTime();
                    pg.superuserSql(ddl[1]); // throws when the database stays in use for 5 s
                    System.out.printf("%s: %d ms%n", ddl[1], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }
            } finally {
                running.set(false);
                scraper.interrupt();
                scraper.join();
            }
            assertThat(collections.get()).as("collections while the DDL ran").isGreaterThanOrEqualTo(3);
        }
        pg.superuserSql("DROP DATABASE wc_renamed", "DROP DATABASE wc_copy", "DROP DATABASE wc_template WITH (FORCE)");
    }

    /** A scraper as Prometheus would be, sped up: a collection every second while {@code running}. */
    static Thread collectEverySecond(PgMetrics m, AtomicBoolean running, AtomicInteger collections) {
        Thread scraper = new Thread(() -> {
            while (running.get()) {
                m.collect();
                collections.incrementAndGet();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        scraper.start();
        return scraper;
    }

    static int backendsIn(String db) throws Exception {
        return sql("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + ROLE + "' AND datname = '" + db + "'");
    }

    static void terminateBackendsOfRole() throws Exception {
        sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sql("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + ROLE + "'") > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static int sql(String query) throws Exception {
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
