package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /probe for a fleet: a target reads its own database, pools kept within a connection budget, idle ones closed. */
class ProbeFleetTest {

    private static final int DATABASES = 8;

    static PgServer pg;

    @BeforeAll
    static void startServer() {
        pg = PgServer.start(PgServer.defaultMajor());
        for (int i = 1; i <= DATABASES; i++) {
            pg.superuserSql("CREATE DATABASE fleet" + i);
            pg.superuserSqlIn(
                    "fleet" + i,
                    "CREATE TABLE t" + i + " (id int)",
                    "GRANT SELECT ON t" + i + " TO " + PgServer.MONITOR_USER);
        }
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    private static Exporter start(ExporterConfig.Builder b) throws Exception {
        return Exporter.start(b.listenAddresses(List.of(new java.net.InetSocketAddress("127.0.0.1", 0)))
                .loginCheckInterval(Duration.ofHours(1))
                .build());
    }

    private static Map<String, PromText.Family> probe(Exporter e, String database, String extra) {
        Http.Response r = Http.get(
                e.port(),
                "/probe?target=" + URLEncoder.encode(pg.monitorDsn(database), StandardCharsets.UTF_8) + extra);
        assertThat(r.status()).as("probe of %s: %s", database, r.body()).isEqualTo(200);
        return PromText.parseFamilies(r.body());
    }

    /** The datname labels of pg_stat_user_tables series. */
    private static Set<String> tableDatabases(Map<String, PromText.Family> f) {
        Set<String> out = new TreeSet<>();
        f.entrySet().stream()
                .filter(en -> en.getKey().startsWith("pg_stat_user_tables_"))
                .flatMap(en -> en.getValue().series.stream())
                .forEach(s -> out.add(s.labels().get("datname")));
        return out;
    }

    private static Map<String, PromText.Family> selfMetrics(Exporter e) {
        return PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
    }

    private static double self(Exporter e, String name) {
        return selfMetrics(e).get(name).value().orElseThrow();
    }

    /** Process ids and databases of the monitoring user's sessions. */
    private static Map<Integer, String> monitorSessions() throws Exception {
        Map<Integer, String> out = new java.util.TreeMap<>();
        try (var c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT pid, datname FROM pg_stat_activity WHERE usename = '" + PgServer.MONITOR_USER + "'")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        return out;
    }

    private static void awaitNoMonitorSessions() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!monitorSessions().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50); // backends of earlier exporters are still exiting
        }
    }

    @Test
    void aTargetReadsItsOwnDatabaseUnlessItAsksForItsServers() throws Exception {
        awaitNoMonitorSessions();
        try (Exporter e = start(ExporterConfig.builder())) {
            assertThat(tableDatabases(probe(e, "fleet1", ""))).containsExactly("fleet1");
            assertThat(tableDatabases(probe(e, "fleet2", ""))).containsExactly("fleet2");
            assertThat(new HashSet<>(monitorSessions().values()))
                    .as("sessions only in the databases named")
                    .isSubsetOf(Set.of("fleet1", "fleet2"));
            assertThat(Http.get(e.port(), "/probe?target=x&databases=some").status())
                    .isEqualTo(400);

            Set<String> all = tableDatabases(probe(e, "fleet3", "&databases=all"));
            assertThat(all).contains("fleet1", "fleet2", "fleet3", "fleet" + DATABASES);
            // another database of the same server asking for all: the same target, not a second one
            double before = self(e, "pgmetrics_probe_targets");
            assertThat(tableDatabases(probe(e, "fleet4", "&databases=all"))).isEqualTo(all);
            assertThat(self(e, "pgmetrics_probe_targets")).isEqualTo(before).isEqualTo(3);
        }
    }

    @Test
    void manyTargetsStayWithinTheBudgetAndSteadyStateOpensNoConnection() throws Exception {
        awaitNoMonitorSessions();
        int perTarget = 2;
        int budget = 6; // three targets
        ExporterConfig.Builder config =
                ExporterConfig.builder().maxConnectionsPerTarget(perTarget).probeMaxConnections(budget);
        try (Exporter e = start(config)) {
            for (int round = 0; round < 2; round++) {
                for (int i = 1; i <= DATABASES; i++) {
                    probe(e, "fleet" + i, "");
                    assertThat(monitorSessions().size())
                            .as("sessions after probing fleet%d", i)
                            .isLessThanOrEqualTo(budget);
                    assertThat(self(e, "pgmetrics_probe_connections")).isLessThanOrEqualTo(budget);
                    assertThat(self(e, "pgmetrics_probe_targets")).isLessThanOrEqualTo(budget / perTarget);
                }
            }
            assertThat(self(e, "pgmetrics_probe_evictions_total")).isGreaterThanOrEqualTo(2 * DATABASES - 3);

            // three targets fit: probing them again and again opens no new session
            for (int i = 1; i <= 3; i++) {
                probe(e, "fleet" + i, "");
            }
            Map<Integer, String> warm = monitorSessions();
            long evictions = (long) self(e, "pgmetrics_probe_evictions_total");
            for (int round = 0; round < 5; round++) {
                for (int i = 1; i <= 3; i++) {
                    probe(e, "fleet" + i, "");
                }
            }
            assertThat(monitorSessions()).as("the same sessions").isEqualTo(warm);
            assertThat((long) self(e, "pgmetrics_probe_evictions_total")).isEqualTo(evictions);
            assertThat(self(e, "pgmetrics_probe_targets")).isEqualTo(3);
        }
    }

    @Test
    void aTargetNotProbedForTheIdleTimeKeepsNoConnection() throws Exception {
        awaitNoMonitorSessions();
        int sweepersBefore = idleSweepers();
        try (Exporter e = start(ExporterConfig.builder().probeCacheTtl(Duration.ofSeconds(3)))) {
            int sweepersAtStart = idleSweepers();
            assertThat(sweepersAtStart)
                    .as("an exporter never probed runs no idle sweep")
                    .isLessThanOrEqualTo(sweepersBefore);
            probe(e, "fleet5", "");
            assertThat(idleSweepers()).isEqualTo(sweepersAtStart + 1);
            assertThat(monitorSessions()).isNotEmpty();
            assertThat(self(e, "pgmetrics_probe_targets")).isEqualTo(1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!monitorSessions().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(monitorSessions())
                    .as("no request came, yet the idle target was closed")
                    .isEmpty();
            assertThat(self(e, "pgmetrics_probe_targets")).isZero();
            assertThat(self(e, "pgmetrics_probe_connections")).isZero();
            assertThat(self(e, "pgmetrics_probe_evictions_total")).isEqualTo(1);
        }
    }

    private static int idleSweepers() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("pgmetrics-probe-idle"))
                .count();
    }
}
