package io.pgmetrics.exporter.scrape;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exporter's own state across configurations: scrape counters, the last scrape's duration and
 * error, reload outcomes and the custom-query files' load status.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class MetaState {

    final AtomicLong scrapes = new AtomicLong();
    volatile double lastScrapeSeconds;
    volatile boolean lastScrapeError;
    public volatile boolean lastReloadSuccessful = true;
    public volatile double lastReloadSuccessSeconds = System.currentTimeMillis() / 1000.0;
    public volatile List<Catalogs.FileStatus> files = List.of();
    public final AtomicLong reloadFailures = new AtomicLong();
}
