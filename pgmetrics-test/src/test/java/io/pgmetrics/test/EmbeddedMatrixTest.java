package io.pgmetrics.test;

import static io.pgmetrics.test.PgMetricsAssertions.assertThatCatalog;
import static io.pgmetrics.test.TestFiles.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.sample.Labels;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit on real servers of every supported major, started once from the embedded binaries and shared. */
class EmbeddedMatrixTest {

    static final int[] MAJORS = {13, 14, 15, 16, 17, 18};

    @RegisterExtension
    static final PostgresServers servers = PostgresServers.embedded(MAJORS)
            .setup(
                    "CREATE TABLE app_jobs (queue text NOT NULL, done boolean NOT NULL)",
                    "INSERT INTO app_jobs VALUES ('mail', false), ('mail', false), ('mail', true), ('pdf', true)",
                    "GRANT SELECT ON app_jobs TO " + PostgresServer.MONITOR_ROLE,
                    "CREATE TABLE app_secrets (secret text)");

    @Test
    void startsOneServerPerMajorWithAMonitorRoleThatIsNoSuperuser() throws Exception {
        assertThat(servers.all()).extracting(PostgresServer::major).containsExactly(13, 14, 15, 16, 17, 18);
        assertThat(servers.server(16)).isSameAs(servers.server(16));
        for (PostgresServer server : servers.all()) {
            try (var c = server.superuserConnection("postgres");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT rolsuper, pg_has_role(rolname, 'pg_monitor', 'MEMBER')"
                            + " FROM pg_roles WHERE rolname = '" + PostgresServer.MONITOR_ROLE + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("superuser").isFalse();
                assertThat(rs.getBoolean(2)).as("pg_monitor member").isTrue();
            }
            assertThat(server.toString())
                    .startsWith("PostgreSQL " + server.major() + ".")
                    .endsWith("(embedded)")
                    .doesNotContain(String.valueOf(server.port()));
            assertThat(server.monitorDsn()).contains(PostgresServer.MONITOR_ROLE);
        }
    }

    @Test
    void aGoodCatalogRunsOnEveryMajorAndYieldsWhatItDeclares() {
        CatalogRunAssert run = assertThatCatalog(file("jobs-queries.yaml"))
                .hasOneVariantPerMajor(servers)
                .runsOn(servers)
                .yieldsDeclaredFamilies()
                .yields("app_jobs_pending", "queue")
                .yields("app_database_bytes", "datname");
        for (int major : MAJORS) {
            CollectionResult c = run.collection(major);
            assertThat(c.family("app_jobs_pending").flatMap(f -> f.value(Labels.of("queue", "mail"))))
                    .contains(2.0);
            assertThat(c.family("app_jobs_done").flatMap(f -> f.value(Labels.of("queue", "pdf"))))
                    .contains(1.0);
            assertThat(c.plan().orElseThrow().facts().version().major()).isEqualTo(major);
        }
        assertThat(run.collections()).hasSize(MAJORS.length);
    }

    @Test
    void theStrictProfileNamesTheFamiliesItsWay() {
        assertThatCatalog(file("jobs-queries.yaml"))
                .withProfile(NamingProfile.STRICT)
                .runsOn(servers)
                .yieldsDeclaredFamilies()
                .yields("app_jobs_done_total", "queue")
                .yields("app_database_bytes", "datname");
    }

    @Test
    void theForeignFormatsRunToo() {
        assertThatCatalog(file("jobs-queries-postgres-exporter.yaml"))
                .runsOn(servers)
                .yieldsDeclaredFamilies()
                .yields("app_jobs_pending", "queue");
        assertThatCatalog(file("jobs-queries-cloudnative-pg.yaml"), QueryFormat.CLOUDNATIVE_PG)
                .runsOn(servers)
                .yieldsDeclaredFamilies()
                .yields("cnpg_app_jobs_pending", "datname", "queue");
    }

    @Test
    void aQueryTheMonitorRoleMayNotRunFailsOnEveryServerWithTheReason() {
        assertThatThrownBy(() -> assertThatCatalog(file("secret-queries.yaml")).runsOn(servers))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("do not all run as " + PostgresServer.MONITOR_ROLE)
                .satisfies(e -> {
                    List<String> lines = e.getMessage().lines().skip(1).toList();
                    for (int major : MAJORS) {
                        assertThat(lines)
                                .anySatisfy(l -> assertThat(l)
                                        .contains(
                                                "PostgreSQL " + major + ".",
                                                "query 'app_secrets' failed",
                                                "permission denied"));
                    }
                    // pg_stat_bgwriter lost checkpoints_timed in 17
                    assertThat(lines)
                            .filteredOn(l -> l.contains("query 'app_bgwriter' failed"))
                            .hasSize(2)
                            .allSatisfy(l -> assertThat(l).containsAnyOf("PostgreSQL 17.", "PostgreSQL 18."));
                });
    }

    @Test
    void missingFamiliesAndWrongLabelsAreNamedPerServer() {
        CatalogRunAssert run = assertThatCatalog(file("jobs-queries.yaml")).runsOn(servers);
        assertThatThrownBy(() -> run.yields("app_jobs_pending", "queue", "tenant"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("app_jobs_pending has labels [queue], but expected [queue, tenant]")
                .hasMessageContaining("PostgreSQL 13.")
                .hasMessageContaining("PostgreSQL 18.");
        assertThatThrownBy(() -> run.yields("app_jobs_waiting", "queue"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no series of app_jobs_waiting");
    }
}
