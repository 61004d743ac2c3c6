package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.PromText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * /probe as an attacker uses it: an auth module's password sent to a host the caller names, connection
 * parameters that switch off timeouts or change the session, and many probes at a server that accepts
 * TCP and never answers.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProbeHardeningTest {

    private static final String MONITOR = PgServer.MONITOR_USER + ":" + PgServer.MONITOR_PASSWORD;
    /** /probe targets kept between requests, each with its pool and two threads (postgres_exporter keeps none). */
    private static final int CACHED_TARGETS = 4;

    @TempDir
    static Path dir;

    static PgServer pg;
    static FakeServer outside;
    static int outsidePort;
    static final List<String> warnings = new CopyOnWriteArrayList<>();
    static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().contains("auth module")) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void start() {
        pg = SharedServer.get();
        outsidePort = Http.freePort();
        outside = FakeServer.listenOn("127.0.0.2", outsidePort, FakeServer.Behaviour.SILENT);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(capture);
        outside.close();
    }

    private static Exporter start(Path modules, List<String> allowed) throws Exception {
        return Exporter.start(ExporterConfig.builder()
                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .authModulesFile(modules, true)
                .probeAllowedTargets(allowed)
                .probeCacheSize(CACHED_TARGETS)
                .collectors(Collectors.only("static"))
                .build());
    }

    private static Path modules(String name, String extra) throws IOException {
        return Files.writeString(
                dir.resolve(name + ".yml"), """
                auth_modules:
                  mon:
                    type: userpass
                    userpass: {username: %s, password: '%s'}
                    options: {sslmode: disable}
                %s""".formatted(PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD, extra));
    }

    @Test
    void anAuthModuleWithoutAnyAllowListIsNeverUsed() throws Exception {
        warnings.clear();
        try (Exporter exporter = start(modules("open", ""), List.of())) {
            int port = exporter.port();
            for (String target :
                    List.of("localhost:" + pg.port() + "/postgres", "127.0.0.2:" + outsidePort + "/postgres")) {
                Http.Response r = Http.get(port, "/probe?target=" + enc(target) + "&auth_module=mon");
                assertThat(r.status())
                        .as("probe of %s with the module: %s", target, r.body())
                        .isEqualTo(403);
                assertThat(r.body()).contains("--probe.allowed-targets");
            }
            assertThat(outside.accepted())
                    .as("connections to the caller's host")
                    .isZero();
            assertThat(warnings).as("the start-up log says why, once").hasSize(1);
            assertThat(warnings.get(0)).contains("/probe answers 403", "mon", "--probe.allowed-targets");

            // without a module, postgres_exporter's behaviour: any host, credentials from the target
            Http.Response plain = Http.get(
                    port,
                    "/probe?target="
                            + enc("postgresql://" + MONITOR + "@localhost:" + pg.port() + "/postgres?sslmode=disable"));
            assertThat(PromText.parse(plain.body()).value("pg_up")).contains(1.0);
        }
    }

    @Test
    void anAuthModuleIsUsedOnlyForTheHostsOfItsOwnList() throws Exception {
        try (Exporter exporter = start(modules("listed", "    allowed_targets: [localhost]\n"), List.of())) {
            int port = exporter.port();
            Http.Response ok =
                    Http.get(port, "/probe?target=" + enc("localhost:" + pg.port() + "/postgres") + "&auth_module=mon");
            assertThat(PromText.parse(ok.body()).value("pg_up")).as(ok.body()).contains(1.0);
            Http.Response elsewhere = Http.get(
                    port, "/probe?target=" + enc("127.0.0.2:" + outsidePort + "/postgres") + "&auth_module=mon");
            assertThat(elsewhere.status()).isEqualTo(403);
            assertThat(elsewhere.body()).contains("auth_modules.mon.allowed_targets");
            assertThat(outside.accepted()).isZero();
        }
    }

    @Test
    void targetsMayNotSetConnectionParametersBeyondTheShortList() throws Exception {
        try (Exporter exporter = start(modules("params", ""), List.of())) {
            int port = exporter.port();
            String base = "postgresql://" + MONITOR + "@localhost:" + pg.port() + "/postgres?sslmode=disable&";
            for (String parameter : List.of(
                    "socketTimeout",
                    "loginTimeout",
                    "connectTimeout",
                    "options",
                    "currentSchema",
                    "readOnlyMode",
                    "sslkey",
                    "service",
                    "gssUseDefaultCreds",
                    "tcpKeepAlive",
                    "targetServerType",
                    "sslrootcert")) {
                String value = "v4lue-" + parameter.length() + "x";
                Http.Response r = Http.get(port, "/probe?target=" + enc(base + parameter + "=" + value));
                assertThat(r.status()).as("%s: %s", parameter, r.body()).isEqualTo(400);
                assertThat(r.body()).contains(parameter).doesNotContain(value);
            }
            Http.Response allowed =
                    Http.get(port, "/probe?target=" + enc(base + "application_name=probe-test&connect_timeout=0"));
            assertThat(PromText.parse(allowed.body()).value("pg_up"))
                    .as(allowed.body())
                    .contains(1.0);
        }
    }

    @Test
    void probesAtAServerThatNeverAnswersGiveBackTheirThreadsAndSockets() throws Exception {
        try (FakeServer silent = FakeServer.listenOn("127.0.0.1", Http.freePort(), FakeServer.Behaviour.SILENT);
                Exporter exporter = start(modules("silent", ""), List.of())) {
            int port = exporter.port();
            Http.get(port, "/healthz");
            int threadsBefore = Threads.all();
            long probesStarted = System.nanoTime();
            // the attack of the issue: timeouts switched off, 60 distinct targets; now refused before any connection
            List<Integer> refused = probeAll(
                    port,
                    60,
                    i -> "postgresql://u:p@127.0.0.1:" + silent.port()
                            + "/postgres?sslmode=disable&socketTimeout=0&loginTimeout=0&application_name=a" + i);
            assertThat(refused).containsOnly(400);
            // the same 60 probes with what a target may carry (connect_timeout=0 is clamped)
            List<Integer> served = probeAll(
                    port,
                    60,
                    i -> "postgresql://u:p@127.0.0.1:" + silent.port()
                            + "/postgres?sslmode=disable&connect_timeout=0&application_name=b" + i);
            assertThat(served).containsOnly(200);
            Figures.add(
                    "probe hardening: 60 refused and 60 served probes at a silent server took (s)",
                    Duration.ofNanos(System.nanoTime() - probesStarted).toSeconds());
            int threadsPeak = Threads.all();
            int connectingPeak = connectingThreads();
            int connectionsPeak = connectionsTo(silent.port());
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofSeconds(60).toNanos();
            while ((connectingThreads() > 0 || connectionsTo(silent.port()) > 0) && System.nanoTime() < deadline) {
                FaultyServer.sleep(250);
            }
            Duration settled = Duration.ofNanos(System.nanoTime() - t0);
            Figures.add(
                    "probe hardening: driver connection threads / the exporter's sockets to a silent server after 60 "
                            + "probes, then after (s)",
                    connectingPeak + " / " + connectionsPeak + ", 0 / 0 after " + settled.toSeconds());
            Figures.add(
                    "probe hardening: live threads before / at the peak / settled",
                    threadsBefore + " / " + threadsPeak + " / " + Threads.all());
            assertThat(connectingThreads())
                    .as("driver threads still connecting to the silent server")
                    .isZero();
            assertThat(connectionsTo(silent.port()))
                    .as("the exporter's sockets to the silent server")
                    .isZero();
            // the driver's socket timeout for a probe is the query timeout (10 s) plus 5 s, not its minute
            assertThat(settled).isLessThan(Duration.ofSeconds(30));
            Map<String, Integer> ours = Threads.exporterNames();
            assertThat(ours.getOrDefault("pgmetrics-query", 0) + ours.getOrDefault("pgmetrics-up", 0))
                    .as("threads of the cached probe targets, %s", ours)
                    .isLessThanOrEqualTo(2 * CACHED_TARGETS);
            assertThat(silent.accepted())
                    .as("only the allowed probes connected")
                    .isPositive();
        }
    }

    interface TargetOf {
        String target(int i);
    }

    private static List<Integer> probeAll(int port, int n, TargetOf targets) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String target = targets.target(i);
                answers.add(clients.submit(() -> Http.send(
                                "http://127.0.0.1:" + port + "/probe?target=" + enc(target),
                                "GET",
                                Duration.ofSeconds(60),
                                "X-Prometheus-Scrape-Timeout-Seconds",
                                "2")
                        .status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            clients.shutdownNow();
        }
    }

    private static int connectingThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("PostgreSQL JDBC driver connection thread"))
                .count();
    }

    /** Open connections to {@code port} on loopback, from /proc/net/tcp*: the exporter's side of them. */
    private static int connectionsTo(int port) {
        int n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.strip().split("\\s+");
                    String remote = f[2];
                    int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                    boolean open = f[3].equals("01"); // ESTABLISHED: a socket the exporter closed is in FIN_WAIT
                    if (remotePort == port && open) {
                        n++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
