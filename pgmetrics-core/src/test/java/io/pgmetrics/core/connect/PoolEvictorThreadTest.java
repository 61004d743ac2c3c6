package io.pgmetrics.core.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.PgServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool's idle evictor is one thread for as long as the pool has connections: a scrape borrows
 * and gives back a dozen times, and a thread per give-back was measurable CPU on a busy host.
 */
class PoolEvictorThreadTest {

    private static PgServer pg;
    private static Dsn dsn;

    @BeforeAll
    static void startServer() {
        pg = PgServer.start(PgServer.defaultMajor());
        dsn = Dsn.parse(pg.monitorDsn());
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    /** Live evictor threads of this test's server (other test classes' pools name other ports). */
    private static long evictors() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive()
                        && t.getName().startsWith("pgmetrics-pool-evictor")
                        && t.getName().endsWith(":" + pg.port()))
                .count();
    }

    @Test
    void manyBorrowsAndGiveBacksStartNoThreads() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn)) {
            pool.connection(null).close(); // opens the connection, starts the evictor
            long before = threads.getTotalStartedThreadCount();
            for (int i = 0; i < 50; i++) {
                try (Connection c = pool.connection(null);
                        Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
            }
            assertThat(threads.getTotalStartedThreadCount() - before)
                    .as("threads started by 50 borrows")
                    .isLessThanOrEqualTo(1);
            assertThat(evictors()).isEqualTo(1);
        }
        eventually("the evictor ends with the pool", () -> evictors() == 0);
    }

    @Test
    void aLentConnectionIsKeptAndTheEvictorEndsWithTheLastConnection() throws Exception {
        PoolSettings settings =
                PoolSettings.builder().idleTimeout(Duration.ofMillis(500)).build();
        try (PooledConnectionSource pool = new PooledConnectionSource(dsn, settings)) {
            pool.connection(null).close();
            try (Connection lent = pool.connection(null)) {
                Thread.sleep(1200);
                assertThat(lent.isValid(2))
                        .as("a lent connection is never evicted")
                        .isTrue();
                assertThat(pool.openConnections()).isEqualTo(1);
            }
            eventually("the idle connection is closed after its idle timeout", () -> pool.openConnections() == 0);
            eventually("and the evictor ends", () -> evictors() == 0);
            try (Connection again = pool.connection(null)) {
                assertThat(again.isValid(2)).isTrue();
            }
            assertThat(evictors()).as("a new give-back starts it again").isEqualTo(1);
            eventually("which ends again", () -> pool.openConnections() == 0 && evictors() == 0);
        }
    }

    private static void eventually(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
