package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seeded random and hostile query strings sent over a raw socket (so that no client cleans them up):
 * {@code /probe?target=…&auth_module=…}, {@code /metrics?name[]=…}, malformed percent-encoding, bytes
 * that are not UTF-8, huge values, control characters, odd headers. Every answer is a status with a
 * plain message, never a stack trace, and the exporter keeps serving correct metrics throughout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpInputFuzzTest {

    static final long SEED = Fuzz.seed();
    static final Set<Integer> ANSWERS = Set.of(200, 400, 403, 404, 405, 413, 414, 431);

    @RegisterExtension
    static final LeakWatch watch = new LeakWatch().watch(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD);

    static PgServer pg;
    static Exporter exporter;
    static int sent;
    static int refusedByTheHttpServer;
    static final java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        System.out.println("HttpInputFuzzTest " + Fuzz.replay(SEED));
        pg = SharedServer.get();
        exporter = Exporter.start(ExporterConfig.builder()
                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .target(pg.monitorDsn())
                .collectors(Collectors.only("static", "database"))
                .probeAllowedTargets(List.of("localhost", "127.0.0.1"))
                .build());
    }

    @AfterAll
    static void stop() {
        if (exporter != null) {
            exporter.close();
        }
        Figures.add("bad HTTP requests sent (probe targets, name[] filters, raw bytes, headers)", sent);
        Figures.add(
                "of which refused by the JDK HTTP server before any handler (no status or 400)",
                refusedByTheHttpServer);
        Figures.add("bad HTTP requests by status (0: connection closed without an answer)", statuses);
    }

    @Test
    void probeTargetsAndAuthModules() {
        Random r = new Random(SEED);
        List<String> bases = List.of(
                "localhost:" + pg.port() + "/postgres?sslmode=disable",
                "postgresql://" + PgServer.MONITOR_USER + "@localhost:" + pg.port() + "/postgres",
                "host=localhost port=" + pg.port() + " dbname=postgres",
                "jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres",
                "evil.example.com:5432/db",
                "localhost:1/x");
        for (int i = 0; i < 600; i++) {
            String target = i % 5 == 0
                    ? Fuzz.text(r, 1 + r.nextInt(60))
                    : Fuzz.mutate(r, bases.get(r.nextInt(bases.size())), 5);
            ByteArrayOutputStream q = new ByteArrayOutputStream();
            q.writeBytes(("/probe?target=" + encode(r, target)).getBytes(StandardCharsets.ISO_8859_1));
            if (r.nextInt(4) == 0) {
                q.writeBytes(("&auth_module=" + encode(r, Fuzz.text(r, r.nextInt(20))))
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            send(q.toByteArray(), "probe target [" + Fuzz.printable(target) + "]");
            if (i % 100 == 0) {
                assertStillServing();
            }
        }
        // huge values, and the target parameter given many times
        send(("/probe?target=" + "a".repeat(60_000)).getBytes(StandardCharsets.ISO_8859_1), "60 KB target");
        send(("/probe?" + "target=localhost&".repeat(3000)).getBytes(StandardCharsets.ISO_8859_1), "3000 targets");
        send("/probe?target=%FF%FE%00%C0%80".getBytes(StandardCharsets.ISO_8859_1), "not UTF-8 once decoded");
        send("/probe?target=%".getBytes(StandardCharsets.ISO_8859_1), "a lone percent");
        send("/probe?target=%G1%2".getBytes(StandardCharsets.ISO_8859_1), "bad percent escapes");
        send(
                "/probe?target=localhost%0D%0AX-Injected:%201".getBytes(StandardCharsets.ISO_8859_1),
                "CRLF in the target");
        assertStillServing();
    }

    @Test
    void nameFiltersOnMetrics() {
        Random r = new Random(SEED + 1);
        List<String> names = List.of(
                "pg_up", "pg_static", "pg_database_size_bytes", "pgmetrics_query_success", "process_cpu_seconds_total");
        for (int i = 0; i < 300; i++) {
            StringBuilder q = new StringBuilder("/metrics?");
            int k = 1 + r.nextInt(5);
            for (int j = 0; j < k; j++) {
                String key = r.nextInt(5) == 0 ? Fuzz.mutate(r, "name[]", 2) : "name[]";
                String value = r.nextInt(3) == 0
                        ? Fuzz.text(r, r.nextInt(30))
                        : Fuzz.mutate(r, names.get(r.nextInt(names.size())), 2);
                q.append(encode(r, key)).append('=').append(encode(r, value)).append('&');
            }
            Http.Raw answer = send(q.toString().getBytes(StandardCharsets.ISO_8859_1), "name filter");
            if (answer.status() == 200) {
                PromText.parse(answer.body()); // whatever was selected is well-formed text
            }
        }
        send(
                ("/metrics?" + "name[]=pg_up&".repeat(5000)).getBytes(StandardCharsets.ISO_8859_1),
                "5000 name[] parameters");
        send(("/metrics?name[]=" + "x".repeat(60_000)).getBytes(StandardCharsets.ISO_8859_1), "a 60 KB name");
        Http.Raw one = send("/metrics?name%5B%5D=pg_up".getBytes(StandardCharsets.ISO_8859_1), "encoded brackets");
        assertThat(PromText.parse(one.body()).samples())
                .extracting(PromText.Sample::name)
                .containsOnly("pg_up");
        assertStillServing();
    }

    @Test
    void rawBytesPathsAndHeaders() {
        Random r = new Random(SEED + 2);
        List<String> paths = List.of("/metrics", "/probe", "/", "/healthz", "/readyz", "/-/reload");
        for (int i = 0; i < 300; i++) {
            ByteArrayOutputStream target = new ByteArrayOutputStream();
            target.writeBytes(paths.get(r.nextInt(paths.size())).getBytes(StandardCharsets.ISO_8859_1));
            switch (r.nextInt(4)) {
                case 0 -> target.writeBytes(Fuzz.notUtf8(r));
                case 1 -> target.writeBytes(Fuzz.bytes(r, 1 + r.nextInt(40)));
                case 2 -> target.writeBytes(("?" + Fuzz.text(r, r.nextInt(40))).getBytes(StandardCharsets.UTF_8));
                default ->
                    target.writeBytes(
                            ("/" + "../".repeat(r.nextInt(5)) + "metrics").getBytes(StandardCharsets.ISO_8859_1));
            }
            send(target.toByteArray(), "raw path");
        }
        send(("/" + "a".repeat(100_000)).getBytes(StandardCharsets.ISO_8859_1), "a 100 KB path");
        for (String header : List.of(
                "X-Prometheus-Scrape-Timeout-Seconds: NaN",
                "X-Prometheus-Scrape-Timeout-Seconds: -5",
                "X-Prometheus-Scrape-Timeout-Seconds: 1e308",
                "X-Prometheus-Scrape-Timeout-Seconds: 0.000001",
                "Accept: application/openmetrics-text; version=9.9",
                "Accept-Encoding: gzip;q=abc, br",
                "Accept: \u00ff\u00fe",
                "Authorization: Basic !!!",
                "Content-Length: -1",
                "X-Long: " + "h".repeat(30_000))) {
            byte[] request = ("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + header + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            sent++;
            Http.Raw answer = Http.raw(exporter.port(), request);
            judge(answer, "header " + Fuzz.printable(header));
        }
        assertStillServing();
    }

    /** The value percent-encoded, sometimes as it is (raw special characters), sometimes with a broken escape. */
    private static String encode(Random r, String value) {
        return switch (r.nextInt(6)) {
            case 0 ->
                value.replace(' ', '+').replace("\r", "").replace("\n", ""); // raw: the server sees the characters
            case 1 -> URLEncoder.encode(value, StandardCharsets.UTF_8) + "%" + (r.nextBoolean() ? "" : "Z");
            default -> URLEncoder.encode(value, StandardCharsets.UTF_8);
        };
    }

    private static Http.Raw send(byte[] target, String what) {
        sent++;
        Http.Raw answer = Http.rawGet(exporter.port(), target);
        judge(answer, what);
        return answer;
    }

    private static void judge(Http.Raw answer, String what) {
        String context = what + "; " + Fuzz.replay(SEED);
        watch.record("HTTP answer to " + what, answer.head() + "\n" + answer.body());
        statuses.merge(answer.status(), 1, Integer::sum);
        if (answer.status() == 0 || (answer.status() == 400 && !answer.head().contains("text/plain; charset=utf-8"))) {
            refusedByTheHttpServer++; // the JDK server refused the request line or headers before any handler ran
        } else {
            assertThat(answer.status())
                    .as("status for %s: %s", context, Fuzz.printable(answer.head()))
                    .isIn(ANSWERS);
        }
        assertThat(Fuzz.looksLikeStackTrace(answer.body()))
                .as("stack trace in the answer to %s:\n%s", context, Fuzz.printable(answer.body()))
                .isFalse();
        assertThat(answer.body()).as("answer to %s", context).doesNotContain("internal error");
    }

    /** Health and a real scrape still work. */
    private static void assertStillServing() {
        assertThat(Http.get(exporter.port(), "/healthz").status()).isEqualTo(200);
        Http.Response m = Http.get(exporter.port(), "/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(PromText.parse(m.body()).value("pg_up"))
                .as("pg_up; %s", Fuzz.replay(SEED))
                .contains(1.0);
    }
}
