package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.testing.PgServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exporter in-process against a real PostgreSQL, as the pg_monitor role. */
class ExporterTest {

    static PgServer pg;

    @BeforeAll
    static void startServer() {
        pg = PgServer.start(PgServer.defaultMajor());
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    static Exporter start(ExporterConfig.Builder b) throws Exception {
        return Exporter.start(b.port(0).build());
    }

    @Test
    void metricsParseStrictlyAndCarryPostgresExporterNames() throws Exception {
        try (Exporter e = start(ExporterConfig.builder().target(pg.monitorDsn()))) {
            Http.Response r = Http.get(e.port(), "/metrics");
            Files.writeString(Path.of("target/metrics-sample.txt"), r.body());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            Map<String, PromText.Family> f = PromText.parse(r.body());
            assertThat(f.get("pg_up").value()).contains(1.0);
            assertThat(f).containsKeys("pg_exporter_last_scrape_duration_seconds", "pg_exporter_last_scrape_error",
                    "pg_exporter_scrapes_total", "postgres_exporter_config_last_reload_successful",
                    "postgres_exporter_config_last_reload_success_timestamp_seconds", "postgres_exporter_build_info",
                    "pg_static", "pg_stat_database_xact_commit", "pg_scrape_collector_success", "pg_settings_max_connections",
                    "process_resident_memory_bytes");
            assertThat(f.get("pg_stat_database_xact_commit").type).isEqualTo("counter");
            assertThat(f.get("pg_static").series.get(0).labels()).containsEntry("server", "localhost:" + pg.port())
                    .containsKeys("version", "short_version");
        }
    }
}
