package io.pgmetrics.testing;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;

/**
 * HTTP for the tests, over real sockets to 127.0.0.1: a JDK client for well-formed requests (gzip bodies
 * decoded), a raw socket for bytes no client would send, and a free port for a server to listen on.
 */
public final class Http {

    /** One shared client: its threads are created once, so thread counts before and after scrapes compare. */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** A response and how long it took to arrive. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers, Duration took) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private Http() {}

    public static Response get(int port, String pathAndQuery, String... headers) {
        return send("http://127.0.0.1:" + port + pathAndQuery, "GET", Duration.ofSeconds(60), headers);
    }

    public static Response post(int port, String path, String... headers) {
        return send("http://127.0.0.1:" + port + path, "POST", Duration.ofSeconds(60), headers);
    }

    /** A GET that may find nobody listening yet (a server starting): empty then, instead of an exception. */
    public static Optional<Response> tryGet(int port, String pathAndQuery) {
        try {
            return Optional.of(send("http://127.0.0.1:" + port + pathAndQuery, "GET", Duration.ofSeconds(20)));
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** A /metrics scrape as Prometheus sends it, with its timeout in the header. */
    public static Response scrape(int port, String pathAndQuery, Duration scrapeTimeout) {
        return send(
                "http://127.0.0.1:" + port + pathAndQuery,
                "GET",
                scrapeTimeout.plusSeconds(30),
                "X-Prometheus-Scrape-Timeout-Seconds",
                Double.toString(scrapeTimeout.toMillis() / 1000.0));
    }

    public static Response send(String url, String method, Duration timeout, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            byte[] body = r.body();
            if ("gzip".equals(r.headers().firstValue("Content-Encoding").orElse(null))) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            return new Response(r.statusCode(), new String(body, StandardCharsets.UTF_8), r.headers(), took);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    method + " " + url + " failed after "
                            + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every port {@link #freePort} handed out in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** The first port of the kernel's ephemeral range (Linux's default when it cannot be read). */
    private static final int EPHEMERAL_LOW = ephemeralLow();

    /**
     * A port nobody listens on now, for a server a test starts; never one handed out before in this JVM.
     * It is taken below the kernel's ephemeral range: a port from there (what binding port 0 gives) can
     * be handed to an outgoing connection, or to another bind to port 0, between this check and the
     * server's bind — an agent test once found its port taken by its own host that way.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 10_000 + ThreadLocalRandom.current().nextInt(Math.max(1, EPHEMERAL_LOW - 10_000));
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between 10000 and " + EPHEMERAL_LOW);
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where the kernel's ephemeral range starts; a range set to start below 20000 leaves too little room below it, so 32768 then. */
    private static int ephemeralLow() {
        // read as a stream: Files.readString trusts the size /proc reports and returns one byte
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            int low = Integer.parseInt(r.readLine().trim().split("\\s+")[0]);
            return low >= 20_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** What the server answered to raw bytes: the status (0 when it closed without an answer) and the body. */
    public record Raw(int status, String head, String body) {}

    /**
     * Sends {@code requestLine} (the bytes between "GET " and " HTTP/1.1", sent as they are) and reads
     * the whole answer; the connection is closed after it.
     */
    public static Raw rawGet(int port, byte[] target) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes("GET ".getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(target);
        request.writeBytes(
                " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return raw(port, request.toByteArray());
    }

    public static Raw raw(int port, byte[] request) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || end < 0) {
                return new Raw(0, text, "");
            }
            String head = text.substring(0, end);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Raw(status, head, text.substring(end + 4));
        } catch (IOException e) {
            // a reset after the server refused the request line is an answer too: no status
            return new Raw(0, e.getClass().getSimpleName() + ": " + e.getMessage(), "");
        }
    }
}
