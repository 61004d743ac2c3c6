package io.pgmetrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerRestartTest {

    @TempDir
    Path data;

    private static double up(CollectionResult c) {
        return c.family("pg_up").flatMap(f -> f.value(Labels.EMPTY)).orElseThrow();
    }

    @Test
    void pgUpGoesToZeroWhileTheServerIsDownAndBackToOneWithoutLeakingConnections() throws Exception {
        int port = Http.freePort();
        Path dir = Files.createDirectories(data.resolve("pg"));
        QueryDef q = QueryDef.builder("pg_one")
                .sql("SELECT 1 AS v")
                .column(ColumnDef.gauge("v", ""))
                .build();
        PgServer pg = PgServer.start(PgServer.defaultMajor(), port, dir);
        String dsn = pg.monitorDsn();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn)
                .catalog(Catalog.of(q))
                .collectionTimeout(Duration.ofSeconds(5))
                .build()) {
            assertThat(up(m.collect())).isEqualTo(1);
            pg.close();

            long t0 = System.nanoTime();
            CollectionResult down = m.collect();
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("answers within its budget")
                    .isLessThan(Duration.ofSeconds(6));
            assertThat(up(down)).isZero();
            assertThat(down.family("pg_one_v")).isEmpty();
            assertThat(down.error()).isPresent();
            assertThat(down.error().orElseThrow()).doesNotContain(PgServer.MONITOR_PASSWORD);
            assertThat(down.family("pg_scrape_collector_success").orElseThrow().value(Labels.of("collector", "pg_one")))
                    .contains(0.0);

            pg = PgServer.start(PgServer.defaultMajor(), port, dir);
            CollectionResult back = null;
            for (int i = 0; i < 3; i++) {
                back = m.collect();
            }
            assertThat(up(back)).isEqualTo(1);
            assertThat(back.family("pg_one_v").orElseThrow().value(Labels.EMPTY))
                    .contains(1.0);
            for (int i = 0; i < 20; i++) {
                m.collect();
            }
            assertThat(pg.monitorBackends())
                    .as("no connection leaked: at most the cap")
                    .isLessThanOrEqualTo(2);
        } finally {
            pg.close();
        }
    }
}
