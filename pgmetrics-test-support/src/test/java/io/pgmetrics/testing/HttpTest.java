package io.pgmetrics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class HttpTest {

    @Test
    void getsGzipDecodedAndSendsTheScrapeTimeout() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                String timeout = exchange.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds");
                out.write(("pg_up 1 " + timeout + "\n").getBytes(StandardCharsets.UTF_8));
            }
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, gz.size());
            exchange.getResponseBody().write(gz.toByteArray());
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            Http.Response r = Http.scrape(port, "/metrics", java.time.Duration.ofMillis(2500));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("pg_up 1 2.5\n");
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(Http.get(port, "/elsewhere").status()).isEqualTo(404);
            assertThat(Http.rawGet(port, "/metrics".getBytes(StandardCharsets.US_ASCII))
                            .status())
                    .isEqualTo(200);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void tryGetIsEmptyWhileNothingListens() {
        assertThat(Http.tryGet(Http.freePort(), "/healthz")).isEmpty();
    }
}
