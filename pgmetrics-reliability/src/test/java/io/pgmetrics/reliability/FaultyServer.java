package io.pgmetrics.reliability;

import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL server on a fixed port and data directory that a test can stop, kill, restart (also as
 * another major version), make refuse passwords or run out of connections. The monitoring role
 * authenticates with its password (scram-sha-256), not the embedded default of trust, so that a
 * changed password is really refused.
 */
final class FaultyServer implements AutoCloseable {

    private final int port;
    private final Path root;
    private PgServer server;
    private Path dataDir;
    private final List<Connection> hogs = new ArrayList<>();

    private FaultyServer(int port, Path root) {
        this.port = port;
        this.root = root;
    }

    static FaultyServer start(int major, Path root) {
        FaultyServer s = new FaultyServer(Http.freePort(), root);
        s.startAs(major);
        return s;
    }

    int port() {
        return port;
    }

    PgServer pg() {
        return server;
    }

    boolean running() {
        return server != null;
    }

    /** Starts {@code major} on this port, in a data directory of its own (kept across restarts). */
    void startAs(int major) {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        dataDir = root.resolve("data-" + major);
        server = PgServer.start(major, port, dataDir);
        requirePassword(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD);
    }

    /** A clean shutdown (pg_ctl stop -m fast). */
    void stop() {
        server.close();
        server = null;
    }

    /**
     * SIGKILL to the postmaster, found in postmaster.pid, as an OOM killer would send it. Backends notice
     * their postmaster is gone and exit; any still there after a few seconds are killed too, so that the
     * next start does not find the old shared memory in use.
     */
    void kill9() {
        long pid = postmasterPid();
        ProcessHandle postmaster =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroyForcibly();
        waitGone(List.of(postmaster), Duration.ofSeconds(10));
        waitGone(children, Duration.ofSeconds(10));
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        waitGone(children, Duration.ofSeconds(10));
        server.close(); // pg_ctl stop finds no server; this releases the data directory lock
        server = null;
    }

    private static void waitGone(List<ProcessHandle> processes, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                    .get(0)
                    .strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code role} log in with {@code password} over TCP (pg_hba.conf, scram-sha-256) and reloads. */
    void requirePassword(String role, String password) {
        try {
            Path hba = dataDir.resolve("pg_hba.conf");
            String rules =
                    "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role + " ::1/128 scram-sha-256\n";
            String current = Files.readString(hba);
            if (!current.contains(rules)) {
                Files.writeString(hba, rules + current);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        setPassword(role, password);
        server.superuserSql("SELECT pg_reload_conf()");
        awaitLogin(role, password, "wrong-" + System.nanoTime());
    }

    /** ALTER ROLE .. PASSWORD, stored as scram-sha-256 (PostgreSQL 13 would store md5). */
    void setPassword(String role, String password) {
        server.superuserSql(
                "SET password_encryption = 'scram-sha-256'",
                "ALTER ROLE " + role + " PASSWORD '" + password.replace("'", "''") + "'");
    }

    /** Waits until the reloaded pg_hba.conf is in force: the right password works, a wrong one is refused. */
    private void awaitLogin(String role, String right, String wrong) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            boolean rightWorks = login(role, right).isEmpty();
            boolean wrongRefused = login(role, wrong).isPresent();
            if (rightWorks && wrongRefused) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("pg_hba.conf reload did not take effect for " + role);
    }

    /** Empty when {@code role} can log in with {@code password}, else the SQLSTATE of the refusal. */
    Optional<String> login(String role, String password) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), role, password)) {
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.ofNullable(e.getSQLState()).or(() -> Optional.of("?"));
        }
    }

    /** Opens superuser connections until the server refuses more (max_connections reached); returns how many. */
    int exhaustConnections() {
        while (true) {
            try {
                hogs.add(server.superuserConnection());
            } catch (SQLException e) {
                if (!"53300".equals(e.getSQLState())) {
                    throw new IllegalStateException("unexpected refusal " + e.getSQLState() + ": " + e.getMessage(), e);
                }
                return hogs.size();
            }
            if (hogs.size() > 500) {
                throw new IllegalStateException("max_connections never reached");
            }
        }
    }

    void releaseConnections() {
        for (Connection c : hogs) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is all that is wanted
            }
        }
        hogs.clear();
    }

    /** Backends of the monitoring role (what the exporter holds open). */
    int monitorBackends() {
        return server.monitorBackends();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        releaseConnections();
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
