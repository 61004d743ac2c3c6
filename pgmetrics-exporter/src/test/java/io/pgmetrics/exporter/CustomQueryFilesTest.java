package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.scrape.Catalogs;
import io.pgmetrics.exporter.scrape.CustomQueries;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom query files next to the built-in catalog, and next to each other, against a real PostgreSQL. */
class CustomQueryFilesTest {

    /** Like postgres_exporter's historical example: pg_replication with a lag column only. */
    private static final String LAG_ONLY = """
            pg_replication:
              query: "SELECT 42 AS lag"
              master: true
              metrics:
                - lag:
                    usage: "GAUGE"
                    description: "Replication lag in seconds"
            """;

    static PgServer pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        pg = PgServer.start(PgServer.defaultMajor());
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    private static Exporter start(ExporterConfig.Builder b) throws Exception {
        return Exporter.start(b.listenAddresses(List.of(new java.net.InetSocketAddress("127.0.0.1", 0)))
                .build());
    }

    @Test
    void aLegacyQueryNamedLikeABuiltInOneLeavesTheBuiltInFamiliesInPlace() throws Exception {
        Path queries = Files.writeString(dir.resolve("queries.yaml"), LAG_ONLY);
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()).legacyQueryFiles(List.of(queries)))) {
            Map<String, PromText.Family> f =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            // the custom family, with the legacy engine's server label
            assertThat(f.get("pg_replication_lag").value(Map.of("server", "localhost:" + pg.port())))
                    .contains(42.0);
            // the built-in families, as the collector exports them: no server label
            assertThat(f.get("pg_replication_is_replica").value(Map.of())).contains(0.0);
            assertThat(f.get("pg_replication_lag_seconds").value(Map.of())).contains(0.0);
            assertThat(f).containsKey("pg_replication_last_replay_seconds");
            assertThat(f.get("pg_replication_last_replay_seconds").series)
                    .allSatisfy(s -> assertThat(s.labels()).isEmpty());

            String landing = Http.get(e.port(), "/").body();
            assertThat(landing)
                    .contains(
                            "Built-in metrics replaced by custom queries",
                            "built-in query pg_replication: its name is taken by custom query pg_replication; all its families"
                                    + " stay, as query pg_replication:builtin");
        }
        MainTest.Run dry = MainTest.run(
                Map.of("DATA_SOURCE_NAME", pg.monitorDsn()),
                "--dry-run",
                "--log.level=error",
                "--extend.query-path=" + queries);
        assertThat(dry.code()).as(dry.out() + dry.err()).isZero();
        assertThat(dry.out())
                .contains(
                        "REPLACED built-in query pg_replication: its name is taken",
                        "RUN  pg_replication:builtin",
                        "RUN  pg_replication [collector pg_replication]");
    }

    @Test
    void aCustomFamilyReplacesTheBuiltInFamilyOfThatNameOnly() throws Exception {
        Path queries = Files.writeString(dir.resolve("queries.yaml"), """
                pg_replication_is:
                  query: "SELECT 7 AS replica"
                  metrics:
                    - replica: {usage: GAUGE, description: "Mine"}
                """);
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()).legacyQueryFiles(List.of(queries)))) {
            Map<String, PromText.Family> f =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            assertThat(f.get("pg_replication_is_replica").series)
                    .singleElement()
                    .satisfies(s -> assertThat(s.value()).isEqualTo(7.0));
            assertThat(f.get("pg_replication_is_replica").help).isEqualTo("Mine");
            assertThat(f).containsKeys("pg_replication_lag_seconds", "pg_replication_last_replay_seconds");
        }
    }

    @Test
    void whereBothEmitTheSameSeriesAtRunTimeTheCustomOneWins() throws Exception {
        // is_replica is not declared, so postgres_exporter's format exports it untyped as pg_replication_is_replica
        Path queries = Files.writeString(
                dir.resolve("queries.yaml"), LAG_ONLY.replace("SELECT 42 AS lag", "SELECT 42 AS lag, 9 AS is_replica"));
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()).legacyQueryFiles(List.of(queries)))) {
            String body = Http.get(e.port(), "/metrics").body();
            PromText.Family isReplica = PromText.parseFamilies(body).get("pg_replication_is_replica");
            assertThat(isReplica.type).isEqualTo("untyped");
            assertThat(isReplica.series)
                    .singleElement()
                    .satisfies(s -> assertThat(s.value()).isEqualTo(9.0));
            // the built-in gauge of that name is the series dropped, and counted
            assertThat(body).containsPattern("(?m)^pgmetrics_series_dropped_total(\\{[^}]*})? [1-9]");
        }
    }

    @Test
    void aLaterCloudNativePgFileReplacesAQueryOfTheSameNameAndSaysSo() throws Exception {
        Path defaults = Files.writeString(dir.resolve("defaults.yaml"), """
                app:
                  query: SELECT 1 AS v
                  metrics:
                    - v: {usage: GAUGE, description: default}
                kept:
                  query: SELECT 3 AS v
                  metrics:
                    - v: {usage: GAUGE, description: kept}
                """);
        Path mine = Files.writeString(dir.resolve("mine.yaml"), """
                app:
                  query: SELECT 2 AS v
                  metrics:
                    - v: {usage: GAUGE, description: mine}
                """);
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(CustomQueries.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.setLevel(Level.INFO);
        log.addHandler(capture);
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()).cnpgFiles(List.of(defaults, mine)))) {
            Map<String, PromText.Family> f =
                    PromText.parseFamilies(Http.get(e.port(), "/metrics").body());
            assertThat(f.get("cnpg_app_v").value(Map.of())).contains(2.0);
            assertThat(f.get("cnpg_kept_v").value(Map.of())).contains(3.0);
        } finally {
            log.removeHandler(capture);
            log.setLevel(null);
        }
        assertThat(logged)
                .containsExactly("CloudNativePG query cnpg_app at " + mine + ":1:1 replaces the one at " + defaults
                        + ":1:1 (the later file wins, as in CloudNativePG)");
    }

    @Test
    void aClashBetweenFilesOfDifferentFormatsIsAnErrorNamingBothPlaces() throws Exception {
        Path legacy = Files.writeString(dir.resolve("queries.yaml"), """
                app_queue:
                  query: SELECT 1 AS pending
                  metrics:
                    - pending: {usage: GAUGE, description: x}
                """);
        Path ours = Files.writeString(dir.resolve("ours.yaml"), """
                queries:
                  - name: app_jobs
                    sql: SELECT 1 AS pending
                    columns:
                      - {name: pending, usage: GAUGE, metric: app_queue_pending}
                """);
        ExporterConfig config = ExporterConfig.builder()
                .legacyQueryFiles(List.of(legacy))
                .catalogFiles(List.of(ours))
                .build();
        assertThatThrownBy(() -> Catalogs.assemble(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("custom query files clash: " + ours
                        + ":2:5: query 'app_jobs': metric 'app_queue_pending' (compat"
                        + " profile) is also emitted by query 'app_queue'; rename the column (rename:) or remove one"
                        + " of the"
                        + " queries (query 'app_queue' is at " + legacy + ":1:1)");

        // a CloudNativePG query only replaces those of earlier CloudNativePG files: cnpg_app_queue twice is an error
        Path prefixed =
                Files.writeString(dir.resolve("prefixed.yaml"), LAG_ONLY.replace("pg_replication:", "cnpg_app_queue:"));
        Path cnpg = Files.writeString(dir.resolve("cnpg.yaml"), """
                app_queue:
                  query: SELECT 1 AS lag
                  metrics:
                    - lag: {usage: GAUGE, description: x}
                """);
        ExporterConfig both = ExporterConfig.builder()
                .legacyQueryFiles(List.of(prefixed))
                .cnpgFiles(List.of(cnpg))
                .build();
        assertThatThrownBy(() -> Catalogs.assemble(both))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("custom query files clash: " + cnpg
                        + ":1:1: query 'cnpg_app_queue', name: a query"
                        + " with this name is defined twice")
                .hasMessageContaining("(also at " + prefixed + ":1:1)");
    }
}
