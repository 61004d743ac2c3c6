package io.pgmetrics.reliability;

import io.pgmetrics.testing.PgServer;

/**
 * One PostgreSQL server for the test classes that do not break their server, started at first use
 * and stopped when the test JVM exits: each start costs seconds of a shared CPU.
 */
final class SharedServer {

    private static PgServer server;

    private SharedServer() {}

    static synchronized PgServer get() {
        if (server == null) {
            PgServer s = PgServer.start(PgServer.defaultMajor());
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "shared-pg-stop"));
            server = s;
        }
        return server;
    }
}
