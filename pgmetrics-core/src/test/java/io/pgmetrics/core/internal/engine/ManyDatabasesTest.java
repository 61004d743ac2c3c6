package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.connect.PoolSettings;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.testing.LoginCounter;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.ScramRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More databases than kept connections, with real authentication ({@code scram-sha-256}): the
 * databases past the kept connections are read in the background within the budget and served from
 * their last reads. Every wait here is for a condition, with a generous bound: nothing depends on the
 * machine being fast.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ManyDatabasesTest {

    private static final String ROLE = "pgm_many";
    private static final String PASSWORD = "many-Pw-7";
    private static final int OTHERS = 30;
    private static final Duration GENEROUS = Duration.ofSeconds(120);

    static PgServer pg;
    static String dsn;
    static final List<String> DATABASES = new ArrayList<>(List.of("postgres"));

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        assumeThat(pg.major()).as("login event triggers").isGreaterThanOrEqualTo(17);
        dsn = ScramRole.create(pg, ROLE, PASSWORD);
        // databases made from template1 count their logins from the start
        LoginCounter.install(pg, "template1", ROLE);
        LoginCounter.install(pg, "postgres", ROLE);
        for (int i = 0; i < OTHERS; i++) {
            String db = "md_" + i;
            pg.superuserSql("CREATE DATABASE " + db);
            DATABASES.add(db);
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    static Catalog catalog() {
        return Catalog.of(
                QueryDef.builder("md_activity")
                        .sql("SELECT count(*) AS n FROM pg_stat_activity")
                        .column(ColumnDef.gauge("n", ""))
                        .build(),
                QueryDef.builder("md_tables")
                        .scope(Scope.DATABASE)
                        .sql("SELECT count(*) AS n FROM pg_class")
                        .column(ColumnDef.gauge("n", ""))
                        .build(),
                QueryDef.builder("md_scram")
                        .scope(Scope.DATABASE)
                        .sql("SELECT (system_user LIKE 'scram-sha-256:%')::int AS scram")
                        .column(ColumnDef.gauge("scram", ""))
                        .build());
    }

    @Test
    void everyDatabaseIsInEveryCollectionAndNoLoginIsMadeBetweenRefreshes() throws Exception {
        BackendSampler sampler = new BackendSampler();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(catalog())
                .databaseRefreshInterval(Duration.ofMinutes(10))
                .loginCheckInterval(Duration.ofMinutes(10))
                .build()) {
            CollectionResult first = collectUntil(m, c -> hasEveryDatabase(c, DATABASES));
            assertThat(first.up()).isTrue();
            long before = LoginCounter.count(pg, DATABASES);
            for (int i = 0; i < 5; i++) {
                CollectionResult c = m.collect();
                assertThat(hasEveryDatabase(c, DATABASES))
                        .as("every database in collection %d", i)
                        .isTrue();
                assertThat(c.failures()).isEmpty();
                MetricFamily ages =
                        c.family("pgmetrics_database_read_age_seconds").orElseThrow();
                for (String db : DATABASES) {
                    assertThat(ages.value(Labels.of("datname", db)))
                            .as("age of %s", db)
                            .isPresent();
                    assertThat(c.family("md_scram_scram").orElseThrow().value(Labels.of("datname", db)))
                            .as("%s read as the SCRAM role", db)
                            .contains(1.0);
                }
                assertThat(ages.samples().stream().filter(s -> s.value() > 0).count())
                        .as("databases served from an earlier read")
                        .isGreaterThanOrEqualTo(OTHERS);
            }
            assertThat(LoginCounter.count(pg, DATABASES) - before)
                    .as("new logins over 5 collections between refreshes")
                    .isZero();
            assertThat(m.openConnections()).isBetween(1, PoolSettings.defaults().maxConnections());
        } finally {
            sampler.stop();
        }
        assertThat(sampler.most())
                .as("most backends of the role at once")
                .isBetween(1, PoolSettings.defaults().maxConnections());
    }

    @Test
    void theRefresherGoesRoundAgainWithinTheBudgetAndAShortCollectionServesWhatWasRead() throws Exception {
        BackendSampler sampler = new BackendSampler();
        int budget = 2;
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(catalog())
                .poolSettings(PoolSettings.builder().maxConnections(budget).build())
                .collectionTimeout(Duration.ofMillis(400))
                .databaseRefreshInterval(Duration.ZERO)
                .build()) {
            collectUntil(m, c -> hasEveryDatabase(c, DATABASES));
            // round and round: every database is read again, so each one's age falls back at some point
            List<String> others = DATABASES.subList(1, DATABASES.size());
            double[] oldest = new double[others.size()];
            boolean[] readAgain = new boolean[others.size()];
            long deadline = System.nanoTime() + GENEROUS.toNanos();
            while (!allTrue(readAgain) && System.nanoTime() < deadline) {
                CollectionResult c = m.collect();
                assertThat(hasEveryDatabase(c, DATABASES))
                        .as("every database in every collection")
                        .isTrue();
                MetricFamily ages =
                        c.family("pgmetrics_database_read_age_seconds").orElseThrow();
                for (int i = 0; i < others.size(); i++) {
                    double age = ages.value(Labels.of("datname", others.get(i))).orElseThrow();
                    readAgain[i] |= age < oldest[i];
                    oldest[i] = Math.max(oldest[i], age);
                }
                Thread.sleep(100);
            }
            assertThat(allTrue(readAgain)).as("every database read again").isTrue();
        } finally {
            sampler.stop();
        }
        assertThat(sampler.most()).as("most backends of the role at once").isBetween(1, budget);
    }

    @Test
    void dropAndRenameWhileCollectingEverySecondSucceedAtTheFirstTry() throws Exception {
        pg.superuserSql("CREATE DATABASE md_drop", "CREATE DATABASE md_rename", "CREATE DATABASE md_template");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger collections = new AtomicInteger();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(catalog())
                .databaseRefreshInterval(Duration.ZERO) // sessions in every database as often as possible
                .build()) {
            collectUntil(m, c -> hasEveryDatabase(c, List.of("md_drop", "md_rename", "md_template")));
            Thread scraper = WarmConnectionsTest.collectEverySecond(m, running, collections);
            try {
                for (String[] ddl : new String[][] {
                    {"md_rename", "ALTER DATABASE md_rename RENAME TO md_renamed"},
                    {"md_drop", "DROP DATABASE md_drop"},
                    {"md_template", "CREATE DATABASE md_copy TEMPLATE md_template"}
                }) {
                    // issued while the refresher is in that database, when it can be caught there
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (backendsIn(ddl[0]) == 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    long t0 = System.nanoTime();
                    pg.superuserSql(ddl[1]); // throws when the database stays in use for 5 s
                    System.out.printf("%s: %d ms%n", ddl[1], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }
                long deadline = System.nanoTime() + GENEROUS.toNanos();
                while (collections.get() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                running.set(false);
                scraper.interrupt();
                scraper.join();
            }
            assertThat(collections.get()).as("collections while the DDL ran").isGreaterThanOrEqualTo(3);
            CollectionResult after =
                    collectUntil(m, c -> hasEveryDatabase(c, List.of("md_renamed", "md_copy")) && absent(c, "md_drop"));
            assertThat(hasEveryDatabase(after, DATABASES)).isTrue();
        }
        pg.superuserSql(
                "DROP DATABASE md_renamed WITH (FORCE)",
                "DROP DATABASE md_copy WITH (FORCE)",
                "DROP DATABASE md_template WITH (FORCE)");
    }

    /** Collects until {@code done} holds, at most {@link #GENEROUS}; returns the last collection. */
    static CollectionResult collectUntil(PgMetrics m, Predicate<CollectionResult> done) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        CollectionResult c = m.collect();
        while (!done.test(c) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            c = m.collect();
        }
        assertThat(done).as("condition reached within %s", GENEROUS).accepts(c);
        return c;
    }

    static boolean hasEveryDatabase(CollectionResult c, List<String> databases) {
        MetricFamily f = c.family("md_tables_n").orElse(null);
        return f != null
                && databases.stream()
                        .allMatch(db -> f.value(Labels.of("datname", db)).isPresent());
    }

    static boolean absent(CollectionResult c, String database) {
        return c.family("md_tables_n")
                .map(f -> f.value(Labels.of("datname", database)).isEmpty())
                .orElse(true);
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean v : values) {
            if (!v) {
                return false;
            }
        }
        return true;
    }

    static int backendsIn(String db) throws Exception {
        return sql("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + ROLE + "' AND datname = '" + db + "'");
    }

    static int sql(String query) throws Exception {
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The most backends of the role seen at once, sampled as often as the server answers. */
    static final class BackendSampler {
        private final AtomicBoolean sampling = new AtomicBoolean(true);
        private final AtomicInteger most = new AtomicInteger();
        private final Thread thread = new Thread(this::sample, "backend-sampler");

        BackendSampler() {
            thread.start();
        }

        private void sample() {
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
        }

        void stop() throws InterruptedException {
            sampling.set(false);
            thread.join();
        }

        int most() {
            return most.get();
        }
    }
}
