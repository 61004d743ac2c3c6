package io.pgmetrics.examples;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for something asynchronous (a workload's commits reaching the statistics) without fixed sleeps. */
public final class Eventually {

    private Eventually() {}

    /** Polls {@code condition} every 200 ms until it holds; fails with {@code what} after {@code limit}. */
    public static void until(Duration limit, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not the case after " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
