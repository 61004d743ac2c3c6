package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.HttpLimits;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100 scrapers at once for a bounded time (4 + 20 s, -Dpgmetrics.reliability.load.seconds) on the default
 * collectors: every scrape answers 200 with pg_up 1, the server never sees more connections than the
 * cap, and the heap after a full GC is as large at the end as in the first quarter.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadTest {

    static final int SCRAPERS = 100;
    static final int CAP = 2;

    @RegisterExtension
    static final LeakWatch watch =
            new LeakWatch(java.util.logging.Level.INFO).watch(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD);

    @Test
    void hundredConcurrentScrapers() throws Exception {
        PgServer pg = SharedServer.get();
        Duration length = Duration.ofSeconds(Integer.getInteger("pgmetrics.reliability.load.seconds", 20));
        try (Exporter exporter = Exporter.start(ExporterConfig.builder()
                        .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                        .target(pg.monitorDsn())
                        .maxConnectionsPerTarget(CAP)
                        .build());
                Connection watcher = pg.superuserConnection();
                PreparedStatement backends = watcher.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + PgServer.MONITOR_USER + "'")) {
            Http.Response first = Http.get(exporter.port(), "/metrics");
            assertThat(PromText.parse(first.body()).value("pg_up")).contains(1.0);
            int threadsBefore = Threads.exporters();

            AtomicInteger served = new AtomicInteger();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            // the first seconds fill the queues (every scraper waits for its first answer): heap is measured after them
            Duration warmUp = Duration.ofSeconds(4);
            long measureFrom = System.nanoTime() + warmUp.toNanos();
            long end = measureFrom + length.toNanos();
            ExecutorService scrapers = Executors.newFixedThreadPool(SCRAPERS);
            CountDownLatch done = new CountDownLatch(SCRAPERS);
            for (int i = 0; i < SCRAPERS; i++) {
                scrapers.execute(() -> {
                    try {
                        for (int n = 0; System.nanoTime() < end; n++) {
                            try {
                                // most scrapes ask for two families (the exporter still collects everything), so that
                                // the
                                // heap measured is the exporter's, not a hundred 200 KB bodies in flight in this test
                                String path = n % 10 == 0
                                        ? "/metrics"
                                        : "/metrics?name[]=pg_up&name[]=pg_exporter_scrapes_total";
                                Http.Response r = Http.scrape(exporter.port(), path, Duration.ofSeconds(10));
                                latencies.add(r.took().toMillis());
                                if (r.status() != 200) {
                                    errors.add("status " + r.status() + ": " + r.body());
                                } else if (!PromText.parse(r.body())
                                        .value("pg_up")
                                        .orElse(0.0)
                                        .equals(1.0)) {
                                    errors.add("pg_up not 1");
                                } else {
                                    served.incrementAndGet();
                                }
                            } catch (RuntimeException e) {
                                errors.add(e.toString());
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            // meanwhile: connections every 100 ms, heap after a full GC every second
            int maxBackends = 0;
            List<Long> heap = new ArrayList<>();
            AtomicLong samples = new AtomicLong();
            long nextHeap = System.nanoTime();
            while (done.getCount() > 0) {
                try (ResultSet rs = backends.executeQuery()) {
                    rs.next();
                    maxBackends = Math.max(maxBackends, rs.getInt(1));
                    samples.incrementAndGet();
                }
                if (System.nanoTime() >= nextHeap && System.nanoTime() >= measureFrom) {
                    System.gc();
                    heap.add(ManagementFactory.getMemoryMXBean()
                            .getHeapMemoryUsage()
                            .getUsed());
                    nextHeap = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
                done.await(100, TimeUnit.MILLISECONDS);
            }
            scrapers.shutdown();
            assertThat(scrapers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            int q = Math.max(1, heap.size() / 4);
            double firstQuarter = heap.subList(0, q).stream()
                            .mapToLong(Long::longValue)
                            .average()
                            .orElse(0)
                    / (1 << 20);
            double lastQuarter = heap.subList(heap.size() - q, heap.size()).stream()
                            .mapToLong(Long::longValue)
                            .average()
                            .orElse(0)
                    / (1 << 20);
            Figures.add(
                    "load: scrapers x seconds",
                    SCRAPERS + " x " + (warmUp.toSeconds() + length.toSeconds()) + " (heap measured over the last "
                            + length.toSeconds() + ", one scrape in ten reads the whole body)");
            Figures.add("load: scrapes served (errors)", served.get() + " (" + errors.size() + ")");
            Figures.add(
                    "load: scrape latency p50 / p99 / max (ms)",
                    percentile(sorted, 50) + " / " + percentile(sorted, 99) + " / "
                            + (sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
            Figures.add(
                    "load: most monitor connections seen in " + samples.get() + " samples (cap " + CAP + ")",
                    maxBackends);
            Figures.add(
                    "load: heap after full GC, first / last quarter (MB)",
                    String.format("%.1f / %.1f", firstQuarter, lastQuarter));
            int threadsAfter = Threads.exporters();
            Figures.add(
                    "load: exporter threads (pgmetrics-*) before / after",
                    threadsBefore + " / " + threadsAfter + " " + Threads.exporterNames());

            assertThat(errors)
                    .as("errors among %d scrapes", served.get() + errors.size())
                    .isEmpty();
            assertThat(served.get()).as("scrapes served").isGreaterThan(SCRAPERS);
            assertThat(maxBackends)
                    .as("most connections the server saw from the exporter")
                    .isLessThanOrEqualTo(CAP);
            assertThat(heap.size()).as("heap samples").isGreaterThanOrEqualTo(8);
            // a thread per request in flight (at most --web.max-connections; all but one end after a minute idle),
            // and besides them the read-deadline watcher, a query worker per connection, the idle-connection evictor,
            // the /probe idle sweep
            int httpThreads = Threads.exporterNames().getOrDefault("pgmetrics-http", 0);
            assertThat(httpThreads).as("HTTP threads").isLessThanOrEqualTo(HttpLimits.DEFAULT.maxConnections());
            assertThat(threadsAfter - httpThreads)
                    .as("exporter threads %s", Threads.exporterNames())
                    .isLessThanOrEqualTo(1 + CAP + 1 + 1);
            assertThat(lastQuarter)
                    .as("heap after GC at the end vs the first quarter (MB)")
                    .isLessThanOrEqualTo(firstQuarter * 1.25 + 8);
            watch.record(
                    "/metrics under load", Http.get(exporter.port(), "/metrics").body());
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
