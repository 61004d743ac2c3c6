package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.testing.PgServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Settings change only when the server loads its configuration, so the catalog caches them (ttl)
 * and the engine reads every cached query afresh when {@code pg_conf_load_time()} moves: a reload
 * shows at the next collections, not a ttl later.
 */
class ConfigReloadTest {

    static PgServer pg;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static final QueryDef WORK_MEM = QueryDef.builder("cr_work_mem")
            .sql("SELECT pg_size_bytes(current_setting('work_mem'))::float8 AS bytes")
            .column(ColumnDef.gauge("bytes", ""))
            .ttl(Duration.ofHours(1))
            .build();

    @Test
    void aReloadEndsTheCacheOfSettings() throws Exception {
        try (PgMetrics m = PgMetrics.builder()
                .dsn(pg.monitorDsn())
                .catalog(Catalog.of(WORK_MEM))
                .build()) {
            CollectionResult first = m.collect();
            assertThat(workMem(first)).isEqualTo(4.0 * 1024 * 1024); // the default
            assertThat(outcome(first).cached()).isFalse();
            assertThat(outcome(m.collect()).cached())
                    .as("read again before any reload")
                    .isTrue();

            pg.superuserSql("ALTER SYSTEM SET work_mem = '7MB'", "SELECT pg_reload_conf()");
            try {
                // backends apply a reload when signalled, a moment after pg_reload_conf() returns
                Instant giveUp = Instant.now().plusSeconds(30);
                CollectionResult after = m.collect();
                while (workMem(after) != 7.0 * 1024 * 1024 && Instant.now().isBefore(giveUp)) {
                    Thread.sleep(100);
                    after = m.collect();
                }
                assertThat(workMem(after)).as("work_mem after the reload").isEqualTo(7.0 * 1024 * 1024);
                assertThat(outcome(m.collect()).cached())
                        .as("cached again once read after the reload")
                        .isTrue();
            } finally {
                pg.superuserSql("ALTER SYSTEM RESET work_mem", "SELECT pg_reload_conf()");
            }
        }
    }

    @Test
    void aSessionNotSeenBeforeIsAReloadOnlyWhenItsLoadTimeIsLater() {
        ConfigReloads reloads = new ConfigReloads();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(reloads.reloaded(100, start)).as("the first look").isTrue();
        assertThat(reloads.reloaded(100, start)).isFalse();
        assertThat(reloads.reloaded(200, start))
                .as("another kept session, same load")
                .isFalse();
        Instant reload = start.plusSeconds(60);
        assertThat(reloads.reloaded(200, reload.plusMillis(3)))
                .as("that session applied a reload")
                .isTrue();
        assertThat(reloads.reloaded(100, reload.plusMillis(900)))
                .as("the other session applied it later: its time moved too")
                .isTrue();
        assertThat(reloads.reloaded(300, reload))
                .as("a new session opened after that reload")
                .isFalse();
        assertThat(reloads.reloaded(400, reload.plusSeconds(5)))
                .as("a new session after a later one")
                .isTrue();
    }

    private static double workMem(CollectionResult c) {
        return c.family("cr_work_mem_bytes").orElseThrow().value(Labels.EMPTY).orElseThrow();
    }

    private static QueryOutcome outcome(CollectionResult c) {
        return c.outcomes().stream()
                .filter(o -> o.query().equals("cr_work_mem"))
                .findFirst()
                .orElseThrow();
    }
}
