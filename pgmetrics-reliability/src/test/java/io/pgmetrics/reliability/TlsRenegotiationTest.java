package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone exporter over TLS 1.2 refuses a renegotiation the client starts: one connection could
 * otherwise make the server repeat its handshake, its most expensive step, as often as it likes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsRenegotiationTest {

    @TempDir
    Path dir;

    @Test
    void aClientInitiatedRenegotiationEndsTheConnection() throws Exception {
        assertThat(afterRenegotiation(Map.of())).startsWith("handshake refused");
    }

    @Test
    void anOperatorMayAllowItExplicitly() throws Exception {
        // the JDK's own default, set by hand: shows that the client above does renegotiate, and that it is the
        // exporter's setting that refuses it (the JDK server then completes the handshake, though its HTTP stalls)
        assertThat(afterRenegotiation(
                        Map.of("JAVA_TOOL_OPTIONS", "-Djdk.tls.rejectClientInitiatedRenegotiation=false")))
                .doesNotStartWith("handshake refused");
    }

    private String afterRenegotiation(Map<String, String> env) throws Exception {
        TestCertificates.Pair tls = TestCertificates.selfSigned(dir);
        Files.writeString(
                dir.resolve("web.yml"), "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TestCertificates.trusting(tls.certificate()));
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        int port = Http.freePort();
        try (ChildExporter child = ChildExporter.start(
                dir,
                List.of(
                        "--web.listen-address=127.0.0.1:" + port,
                        "--web.config.file=web.yml",
                        "--no-collector.database"),
                withSource(env))) {
            child.awaitLog("listening on", Duration.ofSeconds(60));
            try (SSLSocket s =
                    (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThat(healthz(s))
                        .as("the first request, before any renegotiation")
                        .startsWith("HTTP/1.1 200");
                try {
                    s.startHandshake(); // on an established TLS 1.2 connection: a renegotiation
                    return "answer: " + healthz(s);
                } catch (javax.net.ssl.SSLException refused) {
                    return "handshake refused: " + refused.getMessage();
                } catch (IOException other) {
                    return "no answer: " + other.getMessage();
                }
            }
        }
    }

    private static Map<String, String> withSource(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DATA_SOURCE_NAME", "postgresql://localhost:1/x");
        return all;
    }

    /** One keep-alive request for /healthz; the status line and headers that came back (empty when the connection ended). */
    private static String healthz(SSLSocket s) throws IOException {
        s.getOutputStream()
                .write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
            head.append((char) c);
        }
        String text = head.toString();
        int length = text.lines()
                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).strip()))
                .findFirst()
                .orElse(0);
        in.readNBytes(length);
        return text;
    }
}
