package io.pgmetrics.exporter.web;

import java.time.Duration;

/**
 * The toolkit's {@code rate_limit}: a token bucket holding {@code burst} requests, refilled with one every
 * {@code interval}. Requests beyond it get 429.
 */
final class RateLimit {

    private final Duration interval;
    private final int burst;
    private final long intervalNanos;
    private double tokens;
    private long lastRefill;

    RateLimit(Duration interval, int burst) {
        this.interval = interval;
        this.burst = burst;
        this.intervalNanos = Math.max(1, interval.toNanos());
        this.tokens = burst;
        this.lastRefill = System.nanoTime();
    }

    /** Takes a token if there is one. */
    synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether a token is there, without taking it. */
    synchronized boolean available() {
        refill();
        return tokens >= 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (double) (now - lastRefill) / intervalNanos);
        lastRefill = now;
    }

    Duration interval() {
        return interval;
    }

    int burst() {
        return burst;
    }
}
