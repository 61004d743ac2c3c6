package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.HttpLimits;
import io.pgmetrics.exporter.web.TestHashes;
import io.pgmetrics.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP front under clients that hold connections: half-sent requests, more connections than allowed,
 * a flood of wrong passwords. The health endpoints must answer within a second throughout (a Kubernetes
 * liveness probe restarts a pod that does not), and what the stalled clients hold must be given back.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpFrontTest {

    private static final byte[] HALF_REQUEST =
            "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final Duration HEALTHY = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private static Exporter start(ExporterConfig.Builder b) throws Exception {
        return Exporter.start(b.listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .collectors(Collectors.only("static"))
                .build());
    }

    @Test
    void sixtyFourHalfRequestsNeitherDelayHealthChecksNorStayOpen() throws Exception {
        Duration readTimeout = Duration.ofSeconds(2);
        try (Exporter exporter = start(ExporterConfig.builder().httpLimits(new HttpLimits(128, readTimeout)))) {
            slowestHealthCheck(
                    exporter.port(), 1); // the client's first connection, not the server, made the first slow
            List<Socket> stalled = stall(exporter.port(), 64);
            try {
                Duration slowest = slowestHealthCheck(exporter.port(), 10);
                Figures.add(
                        "http front: slowest /healthz of 10 with 64 half-sent requests open (ms)", slowest.toMillis());
                assertThat(slowest)
                        .as("the slowest of 10 health checks with 64 stalled clients")
                        .isLessThan(HEALTHY);

                long t0 = System.nanoTime();
                for (Socket s : stalled) {
                    assertThat(closedByServer(s, Duration.ofSeconds(10)))
                            .as("a half-sent request's connection is closed")
                            .isTrue();
                }
                Duration closedAfter = Duration.ofNanos(System.nanoTime() - t0);
                Figures.add(
                        "http front: 64 half-sent requests closed after (ms, read timeout 2000)",
                        closedAfter.toMillis());
                assertThat(closedAfter).isLessThan(readTimeout.plusSeconds(3));
            } finally {
                closeAll(stalled);
            }
            assertThat(Http.get(exporter.port(), "/healthz").status()).isEqualTo(200);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceAndServedAgainLater() throws Exception {
        try (Exporter exporter =
                start(ExporterConfig.builder().httpThreads(4).httpLimits(new HttpLimits(16, Duration.ofSeconds(60))))) {
            List<Socket> stalled = stall(exporter.port(), 16);
            try {
                FaultyServer.sleep(300);
                long t0 = System.nanoTime();
                Http.Raw beyond = Http.raw(
                        exporter.port(),
                        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(beyond.status())
                        .as("the 17th connection gets no answer: %s", beyond.head())
                        .isZero();
                Figures.add(
                        "http front: a connection beyond the limit closed without an answer after (ms)",
                        took.toMillis());
                // no thread waits for it; the close itself completes within the JDK server's select rounds (1 s each)
                assertThat(took).as("and is closed soon: %s", beyond.head()).isLessThan(Duration.ofSeconds(5));
            } finally {
                closeAll(stalled);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = Http.raw(
                                exporter.port(),
                                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                        .getBytes(StandardCharsets.ISO_8859_1))
                        .status();
                FaultyServer.sleep(50);
            }
            assertThat(status).as("served again once the stalled clients left").isEqualTo(200);
        }
    }

    @Test
    void wrongPasswordsFromSixtyFourClientsNeitherDelayHealthChecksNorRunBcryptUnbounded() throws Exception {
        String hash = TestHashes.bcrypt("right-Pw-7", 10);
        Path web = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  prom: '" + hash + "'\n");
        try (Exporter exporter = start(ExporterConfig.builder().webConfigFile(web))) {
            int port = exporter.port();
            slowestHealthCheck(port, 1);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentHashMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<Thread> attackers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int id = i;
                Thread t = new Thread(
                        () -> {
                            for (int n = 0; !stop.get(); n++) {
                                String auth = Base64.getEncoder()
                                        .encodeToString(
                                                ("prom:wrong-" + id + "-" + n).getBytes(StandardCharsets.UTF_8));
                                int s = Http.raw(
                                                port,
                                                ("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Basic "
                                                                + auth + "\r\n\r\n")
                                                        .getBytes(StandardCharsets.ISO_8859_1))
                                        .status();
                                statuses.merge(s, 1, Integer::sum);
                            }
                        },
                        "wrong-password-" + i);
                t.setDaemon(true);
                t.start();
                attackers.add(t);
            }
            Duration slowest;
            try {
                FaultyServer.sleep(500);
                slowest = slowestHealthCheck(port, 10);
            } finally {
                stop.set(true);
                for (Thread t : attackers) {
                    t.join(30_000);
                }
            }
            Figures.add(
                    "http front: slowest /healthz of 10 under 64 clients sending wrong passwords (ms, bcrypt cost 10)",
                    slowest.toMillis());
            Figures.add("http front: answers to the wrong passwords (status=count)", statuses);
            assertThat(slowest)
                    .as("the slowest of 10 health checks under 64 wrong-password clients")
                    .isLessThan(HEALTHY);
            assertThat(statuses.keySet()).as("answers to wrong passwords").containsOnly(401, 429);
            assertThat(statuses.get(429)).as("wrong passwords are throttled").isPositive();

            // the right password works once the failure budget has refilled
            FaultyServer.sleep(3000);
            String right = Base64.getEncoder().encodeToString("prom:right-Pw-7".getBytes(StandardCharsets.UTF_8));
            assertThat(Http.get(port, "/metrics", "Authorization", "Basic " + right)
                            .status())
                    .isEqualTo(200);
        }
    }

    /** Opens {@code n} connections that each send half a request and then nothing. */
    static List<Socket> stall(int port, int n) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.getOutputStream().write(HALF_REQUEST);
            s.getOutputStream().flush();
            sockets.add(s);
        }
        return sockets;
    }

    static Duration slowestHealthCheck(int port, int times) {
        Duration slowest = Duration.ZERO;
        for (int i = 0; i < times; i++) {
            Http.Response r = Http.send("http://127.0.0.1:" + port + "/healthz", "GET", Duration.ofSeconds(40));
            assertThat(r.status()).isEqualTo(200);
            slowest = r.took().compareTo(slowest) > 0 ? r.took() : slowest;
        }
        return slowest;
    }

    /** Whether the server closed (or reset) the connection within {@code max}. */
    static boolean closedByServer(Socket s, Duration max) throws IOException {
        s.setSoTimeout((int) max.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer (none is expected) and then the close
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
