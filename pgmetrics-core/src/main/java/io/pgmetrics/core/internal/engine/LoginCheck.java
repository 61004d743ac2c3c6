package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.connect.ConnectionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Half of {@code pg_up}: can the server still accept a new login? Kept connections say nothing about
 * that (a server at {@code max_connections}, or a role set to NOLOGIN, still serves them), so a
 * collection opens one new connection when this is due: at the first collection, once every
 * {@code interval}, while the last check failed, and after a kept connection died. The other half,
 * whether the kept connection still answers, is the collection itself.
 */
final class LoginCheck implements AutoCloseable {

    private final ConnectionSource source;
    private final Duration interval;
    private final BiConsumer<String, String> log;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgmetrics-login-check");
        t.setDaemon(true);
        return t;
    });
    private volatile Instant lastSuccess;
    private volatile boolean lastOk;
    private volatile boolean connectionDied;

    /** @param log (key, message): failures, logged once per change */
    LoginCheck(ConnectionSource source, Duration interval, BiConsumer<String, String> log) {
        this.source = source;
        this.interval = interval;
        this.log = log;
    }

    /** Says that a kept connection was found dead: the next collection checks logins again. */
    void connectionDied() {
        connectionDied = true;
    }

    /** Starts a new login beside the collection when one is due; null when not due (or closed). */
    Future<?> startIfDue(Instant now) {
        boolean due = !lastOk || connectionDied || lastSuccess == null || !now.isBefore(lastSuccess.plus(interval));
        if (!due) {
            return null;
        }
        connectionDied = false;
        try {
            return thread.submit(() -> {
                source.checkFresh();
                return null;
            });
        } catch (RuntimeException e) {
            lastOk = false; // closed
            return null;
        }
    }

    /**
     * Whether logins work: the outcome of {@code check}, waiting no longer than the collection may
     * last (a server that accepts TCP and never answers would otherwise hold the scrape for the
     * driver's whole login timeout), or the last outcome when no check ran.
     */
    boolean await(Future<?> check, Instant deadline) {
        if (check == null) {
            return lastOk;
        }
        boolean ok = false;
        try {
            check.get(Math.max(0, Duration.between(Instant.now(), deadline).toNanos()), TimeUnit.NANOSECONDS);
            ok = true;
            lastSuccess = Instant.now();
        } catch (TimeoutException e) {
            check.cancel(true); // pgjdbc gives up waiting when interrupted, and frees the place in the pool
            log.accept(
                    "up",
                    "new connection to " + source.describe() + " did not complete before the collection deadline");
        } catch (ExecutionException e) {
            log.accept("up", "new connection to " + source.describe() + " failed: " + Engine.describe(e.getCause()));
        } catch (InterruptedException e) {
            check.cancel(true);
            Thread.currentThread().interrupt();
        }
        lastOk = ok;
        return ok;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
