package io.pgmetrics.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * Scrapes the way Prometheus does: HTTP/1.1 with keep-alive, gzip accepted, the scrape timeout
 * announced in {@code X-Prometheus-Scrape-Timeout-Seconds}; the time is from sending the request
 * to having the whole body.
 */
final class Scrapes {

    static final int SCRAPE_TIMEOUT_SECONDS = 10;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private HttpRequest request(URI uri, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
                .header("X-Prometheus-Scrape-Timeout-Seconds", Integer.toString(SCRAPE_TIMEOUT_SECONDS));
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        return b.GET().build();
    }

    /** One scrape; its duration in ms, or NaN when it failed (not 200, or no answer). */
    double once(URI uri) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.send(request(uri, true), HttpResponse.BodyHandlers.ofByteArray());
            double ms = (System.nanoTime() - t0) / 1e6;
            return r.statusCode() == 200 ? ms : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The body of one scrape, as text. */
    String text(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(request(uri, true), HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = r.body();
        if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Number of samples (non-comment lines) in an exposition. */
    static long series(String exposition) {
        return exposition
                .lines()
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .count();
    }

    /**
     * Scrapes the targets in turn, {@code rounds} times (ours, theirs, ours, theirs …), so that
     * both see the same background load; one latency list per target.
     */
    List<List<Double>> interleaved(List<URI> targets, int rounds, long paceMillis, AtomicInteger failures) {
        List<List<Double>> out = new ArrayList<>();
        targets.forEach(t -> out.add(new ArrayList<>()));
        long nextRound = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            long wait = nextRound - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            }
            nextRound = System.nanoTime() + paceMillis * 1_000_000L;
            for (int k = 0; k < targets.size(); k++) {
                double ms = once(targets.get(k));
                if (Double.isNaN(ms)) {
                    failures.incrementAndGet();
                } else {
                    out.get(k).add(ms);
                }
            }
        }
        return out;
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code scrapers} threads, each scraping {@code each} times as fast as it can, all starting together. */
    List<Double> concurrent(URI target, int scrapers, int each, AtomicInteger failures) throws InterruptedException {
        List<Double> all = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(scrapers);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(scrapers);
        // one client per scraper: each Prometheus server has its own connection
        for (int s = 0; s < scrapers; s++) {
            Scrapes own = new Scrapes();
            pool.execute(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        double ms = own.once(target);
                        if (Double.isNaN(ms)) {
                            failures.incrementAndGet();
                        } else {
                            all.add(ms);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        start.countDown();
        done.await();
        pool.shutdown();
        return new ArrayList<>(all);
    }
}
