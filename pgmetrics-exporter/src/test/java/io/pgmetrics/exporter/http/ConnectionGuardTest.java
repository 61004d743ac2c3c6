package io.pgmetrics.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgmetrics.exporter.config.HttpLimits;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {

    private static final String PREFIX = "guard-test-http-";

    @Test
    void oneClientAtATimeIsServedByTheThreadsAlreadyStartedNotByEveryKeptOne() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, PREFIX + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try (ConnectionGuard guard =
                new ConnectionGuard(8, new HttpLimits(16, Duration.ofSeconds(10)), threads, Thread::new)) {
            server.setExecutor(guard);
            server.createContext("/ok", exchange -> {
                        byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    })
                    .getFilters()
                    .add(guard.filter());
            server.start();
            URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/ok");
            for (int i = 0; i < 40; i++) {
                HttpURLConnection c = (HttpURLConnection) url.openConnection();
                try (InputStream in = c.getInputStream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("ok");
                }
            }
            // one request at a time needs one thread; a second may start when a request arrives before the
            // thread that served the previous one is waiting again. Before, each of the first 8 requests
            // started a thread of its own and all 8 were kept.
            assertThat(n.get())
                    .as("threads started for 40 requests one after another")
                    .isBetween(1, 3);
        } finally {
            server.stop(0);
        }
    }
}
