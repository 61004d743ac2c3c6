package io.pgmetrics.exporter;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exporter's own state across configurations: scrape counters, the last scrape's duration and
 * error, reload outcomes and the custom-query files' load status.
 */
final class MetaState {

    final AtomicLong scrapes = new AtomicLong();
    volatile double lastScrapeSeconds;
    volatile boolean lastScrapeError;
    volatile boolean lastReloadSuccessful = true;
    volatile double lastReloadSuccessSeconds = System.currentTimeMillis() / 1000.0;
    volatile List<Catalogs.FileStatus> files = List.of();
    final AtomicLong reloadFailures = new AtomicLong();
}
