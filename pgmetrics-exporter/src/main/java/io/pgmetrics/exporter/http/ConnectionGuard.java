package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.pgmetrics.exporter.config.HttpLimits;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor of the JDK HTTP servers, bounding what a client can hold. The JDK server reads a request's
 * line and headers (after the TLS handshake) on the executor's thread, blocking, with no time limit unless
 * JVM-wide {@code sun.net.httpserver.*} properties set one, which in the java agent would also change the
 * host application's own servers. So, per connection and without any JVM-wide setting:
 *
 * <ul>
 *   <li>each request being read or served gets a thread of its own, up to {@link HttpLimits#maxConnections()}:
 *       a health check never waits behind a stalled client or a slow bcrypt. An idle thread takes the next
 *       request; a new one starts only when every thread is busy. Up to {@code keptThreads} stay; the others
 *       end after a minute idle;
 *   <li>a request whose headers have not arrived within {@link HttpLimits#requestReadTimeout()} has its
 *       thread interrupted, which closes its channel (a blocking channel read is interruptible);
 *   <li>beyond the limit a new request is refused: it runs interrupted on the server's dispatcher thread,
 *       so its first read closes the connection at once, and it never reaches a handler.
 * </ul>
 *
 * <p>{@link #filter()} must be the first filter of every context: it marks the request as read.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class ConnectionGuard implements Executor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());

    /** A request being read on one thread: its deadline holds until {@link #requestRead} or expiry. */
    private static final class Reading {
        final Thread thread = Thread.currentThread();
        final long deadline;
        boolean read;
        boolean expired;

        Reading(long deadline) {
            this.deadline = deadline;
        }
    }

    private static final ThreadLocal<Reading> CURRENT = new ThreadLocal<>();

    /** Where an idle thread waits for its next request (core threads forever, the others a minute). */
    private final SynchronousQueue<Runnable> handoff = new SynchronousQueue<>();

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final long readTimeoutNanos;
    private final Set<Reading> reading = ConcurrentHashMap.newKeySet();
    private final Filter filter = new Filter() {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            if (requestRead()) {
                chain.doFilter(exchange);
            } else {
                exchange.close(); // too late or refused: no answer, the connection closes
            }
        }

        @Override
        public String description() {
            return "marks the request as read, ending its read deadline";
        }
    };

    public ConnectionGuard(int keptThreads, HttpLimits limits, ThreadFactory threads, ThreadFactory watchdogThread) {
        this.readTimeoutNanos = limits.requestReadTimeout().toNanos();
        this.pool = new ThreadPoolExecutor(
                Math.min(keptThreads, limits.maxConnections()),
                limits.maxConnections(),
                60,
                TimeUnit.SECONDS,
                handoff,
                threads);
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, watchdogThread);
        w.setRemoveOnCancelPolicy(true);
        this.watchdog = w;
        long tick = Math.max(10, Math.min(250, limits.requestReadTimeout().toMillis() / 4));
        watchdog.scheduleWithFixedDelay(this::expire, tick, tick, TimeUnit.MILLISECONDS);
    }

    public Filter filter() {
        return filter;
    }

    @Override
    public void execute(Runnable exchange) {
        Runnable task = () -> run(exchange);
        // an idle thread first: below its core size a ThreadPoolExecutor would start a new thread even
        // with one idle, so one scraper would end up keeping every core thread
        if (handoff.offer(task)) {
            return;
        }
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            refuse(exchange);
        }
    }

    private void run(Runnable exchange) {
        Reading r = new Reading(System.nanoTime() + readTimeoutNanos);
        reading.add(r);
        CURRENT.set(r);
        try {
            exchange.run();
        } finally {
            synchronized (r) {
                r.read = true; // no interrupt may reach the thread's next task
            }
            reading.remove(r);
            CURRENT.remove();
            Thread.interrupted();
        }
    }

    /** True when the request arrived in time: from here on no deadline interrupts its thread. */
    private boolean requestRead() {
        Reading r = CURRENT.get();
        if (r == null) {
            return true;
        }
        synchronized (r) {
            if (r.expired) {
                Thread.interrupted();
                return false;
            }
            r.read = true;
        }
        reading.remove(r);
        return true;
    }

    private void expire() {
        long now = System.nanoTime();
        for (Reading r : reading) {
            if (now - r.deadline >= 0) {
                synchronized (r) {
                    if (!r.read && !r.expired) {
                        r.expired = true;
                        r.thread.interrupt();
                    }
                }
                reading.remove(r);
            }
        }
    }

    /** Every thread is busy: the exchange runs interrupted here, so its first read closes its connection. */
    private static void refuse(Runnable exchange) {
        Reading refused = new Reading(0);
        refused.expired = true; // should a request be buffered already, the filter stops it before any handler
        CURRENT.set(refused);
        Thread.currentThread().interrupt();
        try {
            exchange.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "refused connection: " + e);
        } finally {
            Thread.interrupted();
            CURRENT.remove();
        }
    }

    /** Requests being read or served now. */
    int active() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        pool.shutdownNow();
    }
}
