package io.pgmetrics.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.examples.Scrape;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo as a newcomer meets it: started, scraped while its workload runs, stopped. */
class DemoTest {

    @Test
    void servesLiveMetricsOfARealServerAndStopsCleanly() throws Exception {
        long started = System.nanoTime();
        Demo demo = Demo.start(0);
        URI metrics = demo.metricsUrl();
        int databasePort = demo.databasePort();
        try {
            Scrape first = Scrape.of(metrics);
            assertThat(first.value("pg_up")).hasValue(1);
            assertThat(first.value("pg_replication_slots_slot_is_active", "slot_name", "standby_gone"))
                    .hasValue(0);
            assertThat(first.value("pg_replication_slots_slot_is_active", "slot_name", "cdc_paused"))
                    .hasValue(0);
            assertThat(first.value("pg_database_size_bytes", "datname", "analytics"))
                    .isPresent();
            double commits = first.value("pg_stat_database_xact_commit", "datname", "shop")
                    .orElseThrow();

            // the workload commits all the time, and its tables feed the business metrics
            Scrape later = first;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!(later.value("pg_stat_database_xact_commit", "datname", "shop")
                                            .orElseThrow()
                                    > commits
                            && later.value("shop_orders_count", "status", "new").isPresent())
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
                later = Scrape.of(metrics);
            }
            assertThat(later.value("pg_stat_database_xact_commit", "datname", "shop")
                            .orElseThrow())
                    .isGreaterThan(commits);
            assertThat(later.value("shop_orders_count", "datname", "shop", "status", "new")
                            .orElseThrow())
                    .isPositive();
            assertThat(later.value("shop_job_queue_depth", "queue", "emails")).isPresent();
            assertThat(later.value("pgmetrics_query_success", "query", "pg_stat_statements"))
                    .hasValue(1);
        } finally {
            demo.close();
        }
        assertThatThrownBy(() -> Scrape.of(metrics)).as("the exporter stopped").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + databasePort + "/postgres",
                        DemoDatabase.MONITOR_USER,
                        DemoDatabase.MONITOR_PASSWORD))
                .as("PostgreSQL stopped")
                .isInstanceOf(SQLException.class);
        System.out.println("demo: started, scraped, workload seen and stopped in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    }

    @Test
    void aTakenPortIsReportedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            long started = System.nanoTime();
            assertThatThrownBy(() -> Demo.start(port))
                    .isInstanceOf(Demo.PortInUseException.class)
                    .hasMessageContaining("port " + port + " is already in use")
                    .hasMessageContaining("--port " + (port + 1))
                    .hasMessageContaining("PGMETRICS_DEMO_PORT=" + (port + 1));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("no database was started")
                    .isLessThan(Duration.ofSeconds(2));
        }
    }
}
