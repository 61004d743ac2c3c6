package io.pgmetrics.bench;

import java.lang.management.ManagementFactory;

/**
 * A stand-in host application for the agent measurement: prints one line when its main method
 * runs (with the JVM's own uptime), then idles until its input closes.
 */
public final class HostApp {

    private HostApp() {}

    public static void main(String[] args) throws Exception {
        System.out.println("host ready " + ManagementFactory.getRuntimeMXBean().getUptime());
        System.out.flush();
        while (System.in.read() >= 0) {
            // idle: the agent's threads do the work
        }
    }
}
