package io.pgmetrics.test;

import static io.pgmetrics.test.PgMetricsAssertions.assertThatCatalog;
import static io.pgmetrics.test.TestFiles.file;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same checks on the official images; skipped where there is no container engine (as on our build machines). */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class ContainerServersTest {

    @RegisterExtension
    static final PostgresServers servers = PostgresServers.containers("postgres:%d-alpine", 13, 18)
            .setup(
                    "CREATE TABLE app_jobs (queue text NOT NULL, done boolean NOT NULL)",
                    "INSERT INTO app_jobs VALUES ('mail', false)",
                    "GRANT SELECT ON app_jobs TO " + PostgresServer.MONITOR_ROLE);

    @Test
    void aGoodCatalogRunsOnTheOfficialImages() {
        assertThatCatalog(file("jobs-queries.yaml"))
                .hasOneVariantPerMajor(servers)
                .runsOn(servers)
                .yieldsDeclaredFamilies()
                .yields("app_jobs_pending", "queue");
    }
}
