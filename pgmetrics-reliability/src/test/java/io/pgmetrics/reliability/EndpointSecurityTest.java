package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter behind its web config (TLS and basic auth) and a /probe allow-list: only the documented
 * health endpoints answer without credentials, whatever the path looks like; TLS 1.0 and 1.1 are
 * refused even when the web config asks for them; /probe never connects to a host outside the list,
 * however the target names it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EndpointSecurityTest {

    static final String USER = "prom";
    static final String SCRAPE_PASSWORD = "scrape-Pw-1";
    /** htpasswd -nbBC 5 prom scrape-Pw-1 */
    static final String HASH = "$2y$05$tH/Qe0hSQAAUzimhHewFjuFSUhdzd5MaxUg1W4YyqVPc39F4cvAB6";

    static final List<String> OPEN = List.of("/healthz", "/-/healthy", "/readyz", "/-/ready");

    @RegisterExtension
    static final LeakWatch watch = new LeakWatch()
            .watch(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD)
            .watch(USER, SCRAPE_PASSWORD)
            .watchPart(HASH);

    @TempDir
    static Path dir;

    static PgServer pg;
    static Exporter exporter;
    static SSLContext client;
    static FakeServer forbidden;
    static int forbiddenPort;
    static int requests;

    @BeforeAll
    static void start() throws Exception {
        pg = SharedServer.get();
        TestCertificates.Pair tls = TestCertificates.selfSigned(dir);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TestCertificates.trusting(tls.certificate()));
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        Path web = Files.writeString(dir.resolve("web.yml"), """
                tls_server_config:
                  cert_file: server.pem
                  key_file: server.key
                basic_auth_users:
                  %s: %s
                """.formatted(USER, HASH));
        // a listener on a host the allow-list leaves out: nothing may ever connect to it
        forbiddenPort = Http.freePort();
        forbidden = FakeServer.listenOn("127.0.0.2", forbiddenPort, FakeServer.Behaviour.SILENT);
        Path modules = Files.writeString(dir.resolve("postgres_exporter.yml"), """
                auth_modules:
                  sneaky:
                    type: userpass
                    userpass: {username: %s, password: '%s'}
                    options: {host: 127.0.0.2, port: '%d'}
                """.formatted(
                        PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD, forbiddenPort));
        exporter = Exporter.start(ExporterConfig.builder()
                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .webConfigFile(web)
                .authModulesFile(modules, true)
                .enableReload(true)
                .target(pg.monitorDsn())
                .collectors(Collectors.only("static"))
                .probeAllowedTargets(List.of("localhost"))
                .build());
    }

    @AfterAll
    static void stop() {
        if (exporter != null) {
            exporter.close();
        }
        if (forbidden != null) {
            forbidden.close();
        }
        Figures.add("endpoint security: HTTPS requests checked", requests);
    }

    @Test
    void onlyTheHealthEndpointsAnswerWithoutCredentials() throws Exception {
        // as Prometheus does: the right password first, so that it is cached when the wrong ones below spend the
        // failure budget (after which an uncached check gets 429)
        assertThat(https("GET", "/metrics", USER + ":" + SCRAPE_PASSWORD).status)
                .isEqualTo(200);
        List<String[]> protectedRequests = new ArrayList<>();
        for (String path : List.of(
                "/",
                "/metrics",
                "/metrics/",
                "/metrics?name[]=pg_up",
                "/probe?target=localhost%3A" + pg.port(),
                "/-/reload",
                "/nope",
                "/favicon.ico",
                "//metrics",
                "/./metrics",
                "/%6Detrics",
                "/healthz/../metrics",
                "/HEALTHZ",
                "/Metrics",
                "/healthzX",
                "/-/healthyX",
                "/readyz.json",
                "/-/ready/x",
                "/healthz%2F..%2Fmetrics")) {
            protectedRequests.add(new String[] {"GET", path});
        }
        for (String path : List.of("/", "/metrics", "/probe", "/-/reload", "/healthz/../metrics")) {
            protectedRequests.add(new String[] {"HEAD", path});
            protectedRequests.add(new String[] {"POST", path});
        }
        protectedRequests.add(new String[] {"OPTIONS", "*"});
        protectedRequests.add(new String[] {"TRACE", "/metrics"});
        for (String[] r : protectedRequests) {
            String what = r[0] + " " + r[1];
            Answer anonymous = https(r[0], r[1], null);
            if (anonymous.status == 404) {
                // a request target that names no endpoint ("//metrics" reads as an authority: the JDK server's own
                // 404),
                // or a path under a health endpoint that is not one (/healthz/../metrics): "not found", nothing else
                if (!r[0].equals("HEAD")) {
                    assertThat(anonymous.body)
                            .as("%s without credentials", what)
                            .containsAnyOf("No context found", "not found");
                }
                assertThat(anonymous.body.length())
                        .as("%s without credentials", what)
                        .isLessThan(100);
            } else {
                assertThat(anonymous.status).as("%s without credentials", what).isEqualTo(401);
            }
            // 429 once wrong passwords come in quick succession (the failure budget of the credential checker)
            assertThat(https(r[0], r[1], USER + ":wrong").status)
                    .as("%s with a wrong password", what)
                    .isIn(401, 429, anonymous.status);
            assertThat(https(r[0], r[1], "nobody:" + SCRAPE_PASSWORD).status)
                    .as("%s as an unknown user", what)
                    .isIn(401, 429, anonymous.status);
        }
        for (String path : OPEN) {
            Answer a = https("GET", path, null);
            assertThat(a.status).as("GET %s without credentials", path).isEqualTo(200);
            assertThat(a.body).as(path).doesNotContain("pg_up");
        }
        // and with the right credentials, the protected ones serve
        Answer metrics = https("GET", "/metrics", USER + ":" + SCRAPE_PASSWORD);
        assertThat(metrics.status).isEqualTo(200);
        assertThat(PromText.parse(metrics.body).value("pg_up")).contains(1.0);
        assertThat(https("POST", "/-/reload", USER + ":" + SCRAPE_PASSWORD).status)
                .isEqualTo(200);
        assertThat(https("GET", "/", USER + ":" + SCRAPE_PASSWORD).status).isEqualTo(200);
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoMetrics() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(readQuietly(s.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(answer).doesNotContain("pg_up").doesNotContain("200 OK");
        }
    }

    @Test
    void tls10And11AreRefusedEvenWhenTheWebConfigAsksForThem() throws Exception {
        assertThat(firstAnswerToHello(exporter.port(), 0x0301))
                .as("TLS 1.0 ClientHello")
                .isIn("alert", "closed");
        assertThat(firstAnswerToHello(exporter.port(), 0x0302))
                .as("TLS 1.1 ClientHello")
                .isIn("alert", "closed");
        assertThat(firstAnswerToHello(exporter.port(), 0x0303))
                .as("TLS 1.2 ClientHello")
                .isEqualTo("server hello");
        assertThat(negotiated(exporter.port(), null)).isEqualTo("TLSv1.3");
        assertThat(negotiated(exporter.port(), "TLSv1.2")).isEqualTo("TLSv1.2");

        Path legacy = Files.writeString(dir.resolve("web-tls10.yml"), """
                tls_server_config:
                  cert_file: server.pem
                  key_file: server.key
                  min_version: TLS10
                basic_auth_users:
                  %s: %s
                """.formatted(USER, HASH));
        try (Exporter old = Exporter.start(ExporterConfig.builder()
                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .webConfigFile(legacy)
                .collectors(Collectors.only("static"))
                .build())) {
            assertThat(firstAnswerToHello(old.port(), 0x0301))
                    .as("TLS 1.0 with min_version TLS10")
                    .isIn("alert", "closed");
            assertThat(firstAnswerToHello(old.port(), 0x0302))
                    .as("TLS 1.1 with min_version TLS10")
                    .isIn("alert", "closed");
            assertThat(firstAnswerToHello(old.port(), 0x0303)).isEqualTo("server hello");
        }
    }

    @Test
    void probeNeverReachesAHostOutsideTheAllowList() throws Exception {
        String creds = USER + ":" + SCRAPE_PASSWORD;
        String p = Integer.toString(forbiddenPort);
        String monitor = PgServer.MONITOR_USER + ":" + PgServer.MONITOR_PASSWORD;
        Answer allowed = https(
                "GET",
                "/probe?target="
                        + enc("postgresql://" + monitor + "@localhost:" + pg.port() + "/postgres?sslmode=disable"),
                creds);
        assertThat(allowed.status).isEqualTo(200);
        assertThat(PromText.parse(allowed.body).value("pg_up"))
                .as("an allowed target is probed")
                .contains(1.0);
        assertThat(https("GET", "/probe?target=" + enc("LOCALHOST:" + pg.port() + "/postgres"), creds).status)
                .as("host names compare without case")
                .isEqualTo(200);

        List<String> outside = List.of(
                "127.0.0.2:" + p,
                "postgresql://" + monitor + "@127.0.0.2:" + p + "/postgres",
                "postgres://127.0.0.2:" + p + "/postgres",
                "host=127.0.0.2 port=" + p + " dbname=postgres",
                "hostaddr=127.0.0.2 port=" + p,
                "jdbc:postgresql://127.0.0.2:" + p + "/postgres",
                "localhost:" + pg.port() + ",127.0.0.2:" + p + "/postgres",
                "postgresql://localhost:" + pg.port() + "/postgres?host=127.0.0.2&port=" + p,
                "postgresql:///postgres?host=127.0.0.2&port=" + p,
                "host=localhost,127.0.0.2 port=" + pg.port() + "," + p,
                "jdbc:postgresql://localhost:" + pg.port() + "/postgres?PGHOST=127.0.0.2&PGPORT=" + p,
                "localhost.:" + p,
                "[::ffff:127.0.0.2]:" + p,
                "2130706434:" + p,
                "127.2:" + p);
        for (String target : outside) {
            Answer a = https("GET", "/probe?target=" + enc(target), creds);
            assertThat(a.status).as("probe of %s: %s", target, a.body).isIn(400, 403);
        }
        Answer viaModule = https(
                "GET", "/probe?target=" + enc("localhost:" + pg.port() + "/postgres") + "&auth_module=sneaky", creds);
        assertThat(viaModule.status)
                .as("an auth module's host option is checked too: %s", viaModule.body)
                .isEqualTo(403);
        assertThat(forbidden.accepted())
                .as("connections made to the host outside the allow-list")
                .isZero();
    }

    // ---- HTTPS by hand: any method and path, exactly as written ----

    record Answer(int status, String head, String body) {}

    private static Answer https(String method, String path, String credentials) throws IOException {
        requests++;
        try (SSLSocket s =
                (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), exporter.port())) {
            s.setSoTimeout(30_000);
            StringBuilder req =
                    new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            if (credentials != null) {
                req.append("Authorization: Basic ")
                        .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                        .append("\r\n");
            }
            if (method.equals("POST")) {
                req.append("Content-Length: 0\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String text = new String(readQuietly(s.getInputStream()), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            watch.record(method + " " + path, text);
            int status = head.startsWith("HTTP/1.") ? Integer.parseInt(head.substring(9, 12)) : 0;
            return new Answer(status, head, body);
        }
    }

    private static byte[] readQuietly(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                b.write(buf, 0, n);
            }
        } catch (IOException e) {
            // a reset or a TLS close after the answer: keep what arrived
        }
        return b.toByteArray();
    }

    private static String negotiated(int port, String onlyProtocol) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            if (onlyProtocol != null) {
                s.setEnabledProtocols(new String[] {onlyProtocol});
            }
            s.startHandshake();
            return s.getSession().getProtocol();
        }
    }

    /**
     * Sends a ClientHello of the given legacy version (0x0301 TLS 1.0, 0x0302 TLS 1.1, 0x0303 TLS 1.2),
     * built byte by byte because the JDK client cannot offer the old versions; says what comes back
     * first: "server hello", "alert" or "closed".
     */
    static String firstAnswerToHello(int port, int version) throws IOException {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.write(version >> 8);
        hello.write(version & 0xff);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        hello.writeBytes(random);
        hello.write(0); // session id: none
        int[] suites = {0xc02b, 0xc02f, 0xc009, 0xc013, 0xc00a, 0xc014, 0x002f, 0x0035};
        hello.write(0);
        hello.write(suites.length * 2);
        for (int suite : suites) {
            hello.write(suite >> 8);
            hello.write(suite & 0xff);
        }
        hello.write(1); // compression: null only
        hello.write(0);
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // EC point formats: uncompressed
            0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x04, 0x01, // signature algorithms: ecdsa/rsa with sha256
        };
        hello.write(extensions.length >> 8);
        hello.write(extensions.length & 0xff);
        hello.writeBytes(extensions);
        byte[] body = hello.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01}); // handshake record, version 1.0 as clients send
        int length = body.length + 4;
        record.write(length >> 8);
        record.write(length & 0xff);
        record.write(0x01); // ClientHello
        record.write(0);
        record.write(body.length >> 8);
        record.write(body.length & 0xff);
        record.writeBytes(body);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(record.toByteArray());
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            int type;
            try {
                type = in.read();
            } catch (IOException reset) {
                return "closed";
            }
            if (type == 0x15) {
                return "alert";
            }
            if (type == 0x16) {
                in.readNBytes(4);
                return in.read() == 0x02 ? "server hello" : "another handshake message";
            }
            return type < 0 ? "closed" : "record type " + type;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
