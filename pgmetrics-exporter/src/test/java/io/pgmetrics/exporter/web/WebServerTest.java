package io.pgmetrics.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real HTTPS server made from web config files, and real Java TLS clients. */
class WebServerTest {

    /** htpasswd -nbBC 4 u hello (a low cost keeps the test fast; the cost does not change the logic). */
    static final String HELLO = "$2y$04$FFwCvCINGgjB541wiEyqOeEWaMS4xA8jFZnPld59zZghJz8vjYdMi";

    static final String TLS = "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n";

    @TempDir
    Path dir;

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private WebConfig config(String certFixture, String keyFixture, String yaml) throws Exception {
        Fixtures.copyTls(certFixture, dir, "cert.pem");
        Fixtures.copyTls(keyFixture, dir, "key.pem");
        Fixtures.copyTls("ca.pem", dir, "ca.pem");
        return WebConfig.load(Fixtures.write(dir, "web.yml", yaml));
    }

    /** Serves "ok" on every path, behind the config's gate, with /healthz open; returns the port. */
    private int serve(WebConfig web) throws IOException {
        HttpServer server = web.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpContext context = server.createContext("/", exchange -> {
            web.headers().forEach(exchange.getResponseHeaders()::set);
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.authenticator(path -> path.equals("/healthz")).ifPresent(context::setAuthenticator);
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static HttpResponse<String> get(SSLContext tls, int port, String path, String user, String password)
            throws Exception {
        return get(tls, null, port, path, user, password);
    }

    private static HttpResponse<String> get(
            SSLContext tls, SSLParameters params, int port, String path, String user, String password)
            throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            client.sslContext(tls);
        }
        if (params != null) {
            client.sslParameters(params);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serversSendWithoutNaglesDelay() throws Exception {
        // Nagle's algorithm made every keep-alive scrape wait 40 ms for the client's delayed ACK
        serve(WebConfig.none());
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    @Test
    void basicAuthOverTls() throws Exception {
        WebConfig web = config("server-rsa.pem", "server-rsa.key", TLS + """
                http_server_config:
                  headers:
                    X-Frame-Options: deny
                basic_auth_users:
                  prometheus: %s
                """.formatted(HELLO));
        int port = serve(web);
        SSLContext client = Fixtures.clientContext(null, null);

        HttpResponse<String> ok = get(client, port, "/metrics", "prometheus", "hello");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
        assertThat(ok.headers().firstValue("X-Frame-Options")).hasValue("deny");

        HttpResponse<String> none = get(client, port, "/metrics", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .startsWith("Basic");
        assertThat(get(client, port, "/metrics", "prometheus", "wrong").statusCode())
                .isEqualTo(401);
        assertThat(get(client, port, "/metrics", "prometheus", "hello ").statusCode())
                .isEqualTo(401);
        assertThat(get(client, port, "/metrics", "nobody", "hello").statusCode())
                .isEqualTo(401);
        assertThat(get(client, port, "/healthz", null, null).statusCode()).isEqualTo(200);
        // and again with the right password, now answered from the cache
        assertThat(get(client, port, "/metrics", "prometheus", "hello").statusCode())
                .isEqualTo(200);
    }

    @Test
    void malformedCredentialsGet401NotADroppedConnection() throws Exception {
        int port = serve(WebConfig.load(Fixtures.write(dir, "web.yml", "basic_auth_users:\n  u: " + HELLO + "\n")));
        String good = Base64.getEncoder().encodeToString("u:hello".getBytes(StandardCharsets.UTF_8));
        String noColon = Base64.getEncoder().encodeToString("uhello".getBytes(StandardCharsets.UTF_8));
        for (String header : new String[] {"Basic !!!", "Basic " + noColon, "Bearer " + good, "Basic", "Basic "}) {
            assertThat(rawGet(port, header).statusCode()).as(header).isEqualTo(401);
        }
        assertThat(rawGet(port, "basic " + good).statusCode())
                .as("the scheme is case-insensitive")
                .isEqualTo(200);
    }

    private static HttpResponse<String> rawGet(int port, String authorization) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .header("Authorization", authorization)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void usersAddedToTheFileAfterStartAreEnforcedThoughThereWereNone() throws Exception {
        Path file = Fixtures.write(dir, "web.yml", "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
        int port = serve(WebConfig.load(file));
        assertThat(rawGet(port, "Basic " + Base64.getEncoder().encodeToString("x:y".getBytes(StandardCharsets.UTF_8)))
                        .statusCode())
                .as("no users yet: open")
                .isEqualTo(200);
        Files.writeString(file, "basic_auth_users:\n  u: " + HELLO + "\n");
        Files.setLastModifiedTime(
                file,
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
        String good = Base64.getEncoder().encodeToString("u:hello".getBytes(StandardCharsets.UTF_8));
        String wrong = Base64.getEncoder().encodeToString("u:nope".getBytes(StandardCharsets.UTF_8));
        assertThat(rawGet(port, "Basic " + wrong).statusCode())
                .as("a user was added: enforced")
                .isEqualTo(401);
        assertThat(rawGet(port, "Basic " + good).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordsAreThrottledOnceTheFailureBudgetIsSpent() throws Exception {
        int port = serve(WebConfig.load(Fixtures.write(dir, "web.yml", "basic_auth_users:\n  u: " + HELLO + "\n")));
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> attackers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 64; i++) {
            String wrong = Base64.getEncoder().encodeToString(("u:wrong-" + i).getBytes(StandardCharsets.UTF_8));
            Thread t = new Thread(() -> {
                try {
                    statuses.add(rawGet(port, "Basic " + wrong).statusCode());
                } catch (Exception e) {
                    statuses.add(0);
                }
            });
            t.start();
            attackers.add(t);
        }
        for (Thread t : attackers) {
            t.join(30_000);
        }
        long refills = (System.nanoTime() - start) / CredentialChecker.FAILURE_INTERVAL.toNanos();
        assertThat(statuses).hasSize(64).containsOnly(401, 429).contains(429);
        assertThat(statuses.stream().filter(s -> s == 401).count())
                .as("failed bcrypt checks let through")
                .isLessThanOrEqualTo(CredentialChecker.FAILURE_BURST + refills + 1);
    }

    @Test
    void plainHttpWithBasicAuthWhenNoTlsIsConfigured() throws Exception {
        WebConfig web = WebConfig.load(Fixtures.write(dir, "web.yml", "basic_auth_users:\n  u: " + HELLO + "\n"));
        int port = serve(web);
        assertThat(get(null, port, "/", "u", "hello").statusCode()).isEqualTo(200);
        assertThat(get(null, port, "/", "u", "nope").statusCode()).isEqualTo(401);
    }

    @Test
    void minVersionTls13RefusesATls12Client() throws Exception {
        int port = serve(config("server-rsa.pem", "server-rsa.key", TLS + "  min_version: TLS13\n"));
        SSLContext client = Fixtures.clientContext(null, null);
        SSLParameters tls12Only = new SSLParameters();
        tls12Only.setProtocols(new String[] {"TLSv1.2"});
        assertThatThrownBy(() -> get(client, tls12Only, port, "/", null, null)).isInstanceOf(IOException.class);
        assertThat(get(client, port, "/", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void maxVersionTls12StillServesTls12() throws Exception {
        int port = serve(config("server-rsa.pem", "server-rsa.key", TLS + "  max_version: TLS12\n"));
        try (SSLSocket socket = handshake(Fixtures.clientContext(null, null), port)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    /**
     * The JDK client cannot even offer TLS 1.1 (disabled in java.security), so this test speaks the first
     * flight of the protocol itself: a TLS 1.1 ClientHello must be refused (the JDK server closes the
     * connection, possibly after an alert), the same hello as TLS 1.2 must get a ServerHello.
     */
    @Test
    void aTls11ClientIsRefusedWithTheDefaultMinimum() throws Exception {
        int port = serve(config("server-rsa.pem", "server-rsa.key", TLS));
        assertThat(firstRecordAfterHello(port, 0x0302)).isIn("alert", "closed");
        assertThat(firstRecordAfterHello(port, 0x0303)).isEqualTo("server hello");
    }

    @Test
    void mutualTlsNeedsACertificateSignedByTheClientCa() throws Exception {
        int port = serve(config(
                "server-rsa.pem",
                "server-rsa.key",
                TLS + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n"));
        assertThat(get(Fixtures.clientContext("client.pem", "client.key"), port, "/", null, null)
                        .statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> get(Fixtures.clientContext(null, null), port, "/", null, null))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(Fixtures.clientContext("rogue.pem", "rogue.key"), port, "/", null, null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void clientAllowedSansAreMatchedExactly() throws Exception {
        String mtls = TLS + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n";
        SSLContext client = Fixtures.clientContext("client.pem", "client.key");
        int other = serve(
                config("server-rsa.pem", "server-rsa.key", mtls + "  client_allowed_sans: [other.example, scraper]\n"));
        assertThatThrownBy(() -> get(client, other, "/", null, null)).isInstanceOf(IOException.class);
        int byDns = serve(config(
                "server-rsa.pem",
                "server-rsa.key",
                mtls + "  client_allowed_sans: [other.example, scraper.example]\n"));
        assertThat(get(client, byDns, "/", null, null).statusCode()).isEqualTo(200);
        int byIp = serve(config("server-rsa.pem", "server-rsa.key", mtls + "  client_allowed_sans: ['::1']\n"));
        assertThat(get(client, byIp, "/", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void clientAllowedSansOnlyMatchAVerifiedChainEvenWithRequireAny() throws Exception {
        // rogue.pem is self-signed and claims scraper.example, the allowed name
        int port = serve(
                config(
                        "server-rsa.pem",
                        "server-rsa.key",
                        TLS
                                + "  client_auth_type: RequireAnyClientCert\n  client_ca_file: ca.pem\n  client_allowed_sans: [scraper.example]\n"));
        assertThatThrownBy(() -> get(Fixtures.clientContext("rogue.pem", "rogue.key"), port, "/", null, null))
                .isInstanceOf(IOException.class);
        assertThat(get(Fixtures.clientContext("client.pem", "client.key"), port, "/", null, null)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void requireAnyClientCertTakesAnUnknownCertificateButNotNone() throws Exception {
        int port =
                serve(config("server-rsa.pem", "server-rsa.key", TLS + "  client_auth_type: RequireAnyClientCert\n"));
        assertThat(get(Fixtures.clientContext("rogue.pem", "rogue.key"), port, "/", null, null)
                        .statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> get(Fixtures.clientContext(null, null), port, "/", null, null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void ecKeysInSec1AndPkcs8Serve() throws Exception {
        for (String key : new String[] {"server-ec.key", "server-ec-pkcs8.key"}) {
            int port = serve(config("server-ec.pem", key, TLS));
            try (SSLSocket socket = handshake(Fixtures.clientContext(null, null), port)) {
                assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0])
                                .getPublicKey()
                                .getAlgorithm())
                        .isEqualTo("EC");
            }
        }
    }

    @Test
    void configuredCipherSuitesAreTheOnlyOnesForTls12() throws Exception {
        int port = serve(config(
                "server-rsa.pem",
                "server-rsa.key",
                TLS + "  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n"));
        SSLContext client = Fixtures.clientContext(null, null);
        try (SSLSocket socket = handshake(client, port)) {
            assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        }
        SSLParameters otherSuite = new SSLParameters();
        otherSuite.setCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        assertThatThrownBy(() -> get(client, otherSuite, port, "/", null, null)).isInstanceOf(IOException.class);
    }

    @Test
    void rotatedCertificateFilesAreServedWithoutRestart() throws Exception {
        WebConfig web = config("server-rsa.pem", "server-rsa.key", TLS);
        int port = serve(web);
        SSLContext client = Fixtures.clientContext(null, null);
        assertThat(servedName(client, port)).contains("server one");

        // a rotation writes the key and the certificate one after the other; in between they do not match
        Fixtures.copyTls("server-two.key", dir, "key.pem");
        assertThat(servedName(client, port)).as("half-way through the rotation").contains("server one");
        Fixtures.copyTls("server-two.pem", dir, "cert.pem");
        assertThat(servedName(client, port)).contains("server two");
        assertThat(get(client, port, "/", null, null).statusCode()).isEqualTo(200);
        assertThat(web.servedCertificate())
                .get()
                .extracting(c -> c.getSubjectX500Principal().getName())
                .asString()
                .contains("server two");

        // a broken file does not take the endpoint down
        Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nbroken\n");
        assertThat(servedName(client, port)).contains("server two");
    }

    @Test
    void theRateLimitAnswers429OnceTheBurstIsSpent() throws Exception {
        int port = serve(WebConfig.load(Fixtures.write(dir, "web.yml", "rate_limit:\n  interval: 1h\n  burst: 2\n")));
        assertThat(get(null, port, "/", null, null).statusCode()).isEqualTo(200);
        assertThat(get(null, port, "/", null, null).statusCode()).isEqualTo(200);
        assertThat(get(null, port, "/", null, null).statusCode()).isEqualTo(429);
        assertThat(get(null, port, "/healthz", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theServerIsHttpsExactlyWhenTlsIsConfigured() throws Exception {
        WebConfig web = config("server-rsa.pem", "server-rsa.key", TLS);
        HttpServer server = web.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        servers.add(server);
        assertThat(server).isInstanceOf(HttpsServer.class);
    }

    private static SSLSocket handshake(SSLContext client, int port) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    private static String servedName(SSLContext client, int port) throws IOException {
        try (SSLSocket socket = handshake(client, port)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal()
                    .getName();
        }
    }

    /**
     * Sends a minimal ClientHello with the given version (0x0302 = TLS 1.1, 0x0303 = TLS 1.2) and ECDHE-RSA
     * suites, and says what the server answers first: "server hello", "alert" or "closed".
     */
    private static String firstRecordAfterHello(int port, int version) throws IOException {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {0xc02f, 0xc030, 0xc013, 0xc014, 0x002f};
        body.write(0);
        body.write(suites.length * 2);
        for (int s : suites) {
            body.write(s >> 8);
            body.write(s);
        }
        body.write(1); // compression methods: null
        body.write(0);
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x1d, // supported_groups: secp256r1, x25519
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x01, 0x08, 0x04, 0x02, 0x01, // signature_algorithms
        };
        body.write(extensions.length >> 8);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01});
        int handshakeLength = hello.length + 4;
        record.write(handshakeLength >> 8);
        record.write(handshakeLength);
        record.writeBytes(new byte[] {0x01, 0x00, (byte) (hello.length >> 8), (byte) hello.length});
        record.writeBytes(hello);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(record.toByteArray());
            out.flush();
            InputStream in = new DataInputStream(socket.getInputStream());
            int type = in.read();
            if (type == 0x15) {
                return "alert";
            }
            if (type == 0x16) {
                in.readNBytes(4); // version, length
                return in.read() == 0x02 ? "server hello" : "other handshake";
            }
            return type < 0 ? "closed" : "record " + type;
        }
    }
}
