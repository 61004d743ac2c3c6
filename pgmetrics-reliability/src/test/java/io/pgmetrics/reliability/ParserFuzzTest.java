package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.DsnException;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.core.yaml.CnpgQueriesYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.exporter.CommandLineEntry;
import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.web.WebConfig;
import io.pgmetrics.exporter.web.WebConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random and hostile input to every parser a user or a scraper can reach: DSNs, our catalog
 * YAML, postgres_exporter's and CloudNativePG's query files, the exporter's config file, the web config,
 * auth modules and the command line. Each input either works or is refused with the parser's own
 * exception, whose message is one clear text: no stack trace, no internal class names, never the
 * password it was given, and soon (no input makes a parser work for long).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParserFuzzTest {

    static final String USER = "monitor";
    static final long SEED = Fuzz.seed();
    /** Distinctive, and drawn from the seed: its length moves every mutation, so a replay needs the same one. */
    static final String CORE = "Zq9-UNIQUE-pw-" + Long.toString(new Random(SEED).nextLong() & Long.MAX_VALUE, 36);
    /** A password with every character a DSN needs escaped. */
    static final String PASSWORD = CORE + "-a b'c@d/e:f%g";

    static final String HASH = "$2y$05$tH/Qe0hSQAAUzimhHewFjuFSUhdzd5MaxUg1W4YyqVPc39F4cvAB6";
    /** Scales the number of inputs (-Dpgmetrics.reliability.fuzz=2 doubles them). */
    static final double SCALE = Double.parseDouble(System.getProperty("pgmetrics.reliability.fuzz", "1"));

    static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(10); // a blow-up takes minutes; a busy machine seconds

    @RegisterExtension
    static final LeakWatch watch =
            new LeakWatch().watch(USER, PASSWORD).watchPart(CORE).watchPart(HASH);

    @TempDir
    static Path dir;

    static int tried;

    @BeforeAll
    static void announce() {
        System.out.println("ParserFuzzTest " + Fuzz.replay(SEED));
    }

    @AfterAll
    static void figures() throws java.io.IOException {
        // Main's logging setup replaced this JVM's handlers: give the next test classes the JDK's defaults back
        java.util.logging.LogManager.getLogManager().readConfiguration();
        Figures.add("bad inputs tried on parsers (DSN, YAML x3, config file, web config, auth modules, flags)", tried);
    }

    static int n(int base) {
        return (int) Math.max(1, base * SCALE);
    }

    // ---- DSNs ----

    static List<String> dsnTemplates() {
        String enc = URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8).replace("+", "%20");
        String quoted = "'" + PASSWORD.replace("\\", "\\\\").replace("'", "\\'") + "'";
        return List.of(
                "postgresql://" + USER + ":" + enc + "@db.example:5432/app?sslmode=disable&application_name=x",
                "postgres://" + USER + ":" + enc + "@[::1]:5433,h2:5434/app?target_session_attrs=read-write",
                "host=db port=5432 user=" + USER + " password=" + quoted + " dbname=app sslmode=require",
                "jdbc:postgresql://db:5432/app?user=" + USER + "&password=" + enc + "&connectTimeout=3",
                "postgresql:///app?host=/var/run/postgresql&user=" + USER + "&password=" + enc);
    }

    @Test
    void dsnParserOnlyEverSaysDsnExceptionAndNeverRepeatsThePassword() {
        Random r = new Random(SEED);
        List<String> templates = dsnTemplates();
        for (String t : templates) {
            Dsn d = Dsn.parse(t); // the templates are valid: the mutations start from something real
            watch.record("Dsn.redacted", d.redacted());
            watch.record("Dsn.toString", d.toString());
        }
        int count = n(6000);
        for (int i = 0; i < count; i++) {
            String input = switch (i % 10) {
                case 0 -> Fuzz.text(r, 1 + r.nextInt(80));
                case 1 ->
                    templates.get(r.nextInt(templates.size())).repeat(1 + r.nextInt(3)) + Fuzz.text(r, r.nextInt(10));
                default -> Fuzz.mutate(r, templates.get(r.nextInt(templates.size())), 6);
            };
            check(
                    "DSN",
                    input,
                    () -> {
                        assertRedacted(Dsn.parse(input), input);
                        return null;
                    },
                    DsnException.class);
        }
        // huge ones
        for (String huge : List.of(
                "postgresql://" + "a".repeat(1 << 20),
                "host=" + "x ".repeat(100_000),
                "postgresql://u:" + "%".repeat(50_000) + "@h/db",
                "a=".repeat(100_000))) {
            check("huge DSN", huge, () -> Dsn.parse(huge), DsnException.class);
        }
    }

    /**
     * A mutated DSN may parse with the password's text in another field (a user name, a host): the
     * parser cannot know, and the redacted form shows that field. What it took for the password (and
     * for sslpassword) must never show.
     */
    private static void assertRedacted(Dsn d, String input) {
        String shown = d.redacted();
        d.password()
                .map(p -> p.reveal())
                .filter(p -> p.length() >= 4)
                .ifPresent(p -> assertThat(shown)
                        .as("redacted form of [%s]; %s", input, Fuzz.replay(SEED))
                        .doesNotContain(p)
                        .doesNotContain(URLEncoder.encode(p, StandardCharsets.UTF_8)));
        String sslPassword = d.parameters().get("sslpassword");
        if (sslPassword != null && sslPassword.length() >= 4) {
            assertThat(shown)
                    .as("sslpassword in the redacted form of [%s]; %s", input, Fuzz.replay(SEED))
                    .doesNotContain(sslPassword)
                    .doesNotContain(URLEncoder.encode(sslPassword, StandardCharsets.UTF_8));
        }
    }

    // ---- query files ----

    static final String OURS = """
            queries:
              - name: app_queue
                help: Jobs of the application's queues
                ttl: 30s
                timeout: 2s
                max_rows: 100
                scope: database
                databases: ["app*"]
                parameters: {limit: "10"}
                sql: |
                  SELECT queue, count(*) AS pending FROM app.jobs GROUP BY queue LIMIT ${limit}::int
                columns:
                  - {name: queue, usage: LABEL}
                  - {name: pending, usage: GAUGE, help: Jobs waiting to run, scale: 1, default: 0}
              - name: app_state
                variants:
                  - {max_version: 14, sql: "SELECT 'ok' AS state"}
                  - {min_version: 14, sql: "SELECT 'ok' AS state, 1 AS n"}
                columns:
                  - {name: state, usage: MAPPEDMETRIC, mapping: {ok: 0, bad: 1}}
                  - {name: n, usage: COUNTER, strict: {metric: app_state_n, usage: GAUGE}}
            """;

    static final String LEGACY = """
            pg_replication_lag:
              query: "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 ELSE 1 END AS lag"
              master: true
              cache_seconds: 30
              runonserver: ">=12.0.0 <19.0.0"
              metrics:
                - lag:
                    usage: "GAUGE"
                    description: "Replication lag behind master in seconds"
            pg_database_size:
              query: "SELECT datname, pg_database_size(datname) AS bytes, 'a' AS st FROM pg_database"
              metrics:
                - datname: {usage: "LABEL", description: "Name of the database"}
                - bytes: {usage: "GAUGE", description: "Disk space used by the database"}
                - st: {usage: "MAPPEDMETRIC", description: "state", metric_mapping: {a: 1}}
            """;

    static final String CNPG = """
            backends:
              runonserver: ">=14.0.0"
              target_databases: ["app", "tenant_*"]
              predicate_query: SELECT true
              query: |
                SELECT datname, count(*) AS total FROM pg_stat_activity GROUP BY datname
              metrics:
                - datname: {usage: LABEL, description: Database name}
                - total: {usage: GAUGE, name: total_backends, description: Backends per database}
            archive:
              primary: true
              cache_seconds: 60
              query: SELECT archived_count FROM pg_stat_archiver
              metrics:
                - archived_count: {usage: COUNTER, description: WAL files archived}
            """;

    /** Inputs that have brought YAML parsers down elsewhere: alias bombs, deep nesting, huge scalars, many keys. */
    static List<String> yamlBombs() {
        StringBuilder laughs =
                new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            laughs.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append("]\n");
        }
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            keys.append("k").append(i).append(": v\n");
        }
        return List.of(
                laughs.toString(),
                "queries: " + "[".repeat(20_000),
                "queries:\n" + "  - ".repeat(5000) + "x",
                "queries:\n  - name: " + "x".repeat(1 << 20),
                keys.toString(),
                "queries: !!java.lang.Runtime {}",
                "queries: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]",
                "---\nqueries: []\n---\nqueries: []\n",
                "\uFEFF\uFEFFqueries: []",
                "queries:\n\t- name: x");
    }

    @Test
    void queryFileLoadersOnlyEverSayCatalogExceptionWithALocation() {
        Random r = new Random(SEED + 1);
        CatalogYaml.read(OURS, "ours.yaml");
        LegacyQueriesYaml.read(LEGACY, "legacy.yaml");
        CnpgQueriesYaml.read(CNPG, "cnpg.yaml", "cnpg_");
        List<Map.Entry<String, Function<String, Object>>> loaders = List.of(
                Map.entry(OURS, y -> CatalogYaml.read(y, "ours.yaml")),
                Map.entry(LEGACY, y -> LegacyQueriesYaml.read(y, "legacy.yaml")),
                Map.entry(CNPG, y -> CnpgQueriesYaml.read(y, "cnpg.yaml", "cnpg_")));
        int count = n(1000);
        for (var loader : loaders) {
            for (int i = 0; i < count; i++) {
                String input = i % 20 == 0 ? Fuzz.text(r, 1 + r.nextInt(200)) : Fuzz.mutate(r, loader.getKey(), 8);
                check("query file", input, () -> loader.getValue().apply(input), CatalogException.class);
            }
            for (String bomb : yamlBombs()) {
                check("YAML bomb", bomb, () -> loader.getValue().apply(bomb), CatalogException.class);
            }
        }
    }

    @Test
    void queryFilesThatAreNotUtf8AreRefusedWithTheirName() throws Exception {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < n(100); i++) {
            byte[] text = (i % 2 == 0 ? OURS : LEGACY).getBytes(StandardCharsets.UTF_8);
            int at = r.nextInt(text.length);
            byte[] bad = Fuzz.notUtf8(r);
            byte[] bytes = new byte[text.length + bad.length];
            System.arraycopy(text, 0, bytes, 0, at);
            System.arraycopy(bad, 0, bytes, at, bad.length);
            System.arraycopy(text, at, bytes, at + bad.length, text.length - at);
            Path file = Files.write(dir.resolve("bytes-" + i + ".yaml"), bytes);
            boolean ours = i % 2 == 0;
            check(
                    "non-UTF-8 query file",
                    "bytes of " + file,
                    () -> ours ? CatalogYaml.read(file) : LegacyQueriesYaml.read(file),
                    CatalogException.class);
        }
    }

    // ---- the exporter's own files and command line ----

    static String configFile() {
        return """
                targets:
                  - postgresql://db1:5432/postgres?sslmode=require
                  - dsn: host=db2 dbname=postgres sslmode=verify-full
                    user: %s
                    password: '%s'
                naming_profile: compat
                collectors: {stat_statements: true, wal: false}
                parameters: {stat_statements.limit: 50}
                constant_labels: {cluster: eu-1}
                databases: {auto_discover: false, include: [], exclude: [rdsadmin]}
                timeouts: {collection: 1m, query: 10s, scrape_default: 9500ms}
                connections: {max_per_target: 2}
                web: {listen_addresses: [":9187"], telemetry_path: /metrics, enable_reload: false}
                probe: {allowed_targets: ["*.db.internal", "10.0.0.0/8"], cache_size: 16, cache_ttl: 5m}
                auth_modules:
                  readonly:
                    type: userpass
                    userpass: {username: metrics, password: '%s'}
                    options: {sslmode: require}
                log: {level: info, format: logfmt}
                """.formatted(USER, PASSWORD.replace("'", "''"), PASSWORD.replace("'", "''"));
    }

    @Test
    void configFileMistakesAreOneLineExitTwo() throws Exception {
        Random r = new Random(SEED + 3);
        Path file = dir.resolve("pgmetrics.yml");
        Files.writeString(file, configFile());
        assertThat(runMain(List.of("--pgmetrics.config=" + file)).code)
                .as("the base file is valid")
                .isZero();
        int count = n(300);
        for (int i = 0; i < count; i++) {
            if (i % 10 == 0) {
                byte[] base = configFile().getBytes(StandardCharsets.UTF_8);
                byte[] bad = Fuzz.notUtf8(r);
                int at = r.nextInt(base.length);
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(base, 0, at);
                b.writeBytes(bad);
                b.write(base, at, base.length - at);
                Files.write(file, b.toByteArray());
            } else {
                Files.write(file, Fuzz.mutate(r, configFile(), 8).getBytes(StandardCharsets.UTF_8));
            }
            Main m = runMain(List.of("--pgmetrics.config=" + file));
            judge("config file", Files.readString(file, StandardCharsets.ISO_8859_1), m);
        }
    }

    @Test
    void authModulesFileMistakesAreConfigErrors() throws Exception {
        Random r = new Random(SEED + 4);
        String base = """
                auth_modules:
                  first:
                    type: userpass
                    userpass:
                      username: %s
                      password: '%s'
                    options:
                      sslmode: disable
                """.formatted(USER, PASSWORD.replace("'", "''"));
        Path file = dir.resolve("postgres_exporter.yml");
        for (int i = 0; i < n(30); i++) {
            String text = Fuzz.mutate(r, base, 6);
            Files.write(file, text.getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes '?'
            check(
                    "auth modules file",
                    text,
                    () -> {
                        try (Exporter e = Exporter.start(ExporterConfig.builder()
                                .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                                .authModulesFile(file, true)
                                .build())) {
                            return null;
                        }
                    },
                    ConfigException.class);
        }
    }

    @Test
    void webConfigMistakesAreWebConfigExceptionsWithoutHashesOrKeys() throws Exception {
        Random r = new Random(SEED + 5);
        TestCertificates.Pair tls = TestCertificates.selfSigned(dir);
        String keyMaterial =
                Files.readString(tls.key()).lines().skip(1).findFirst().orElseThrow();
        watch.watchPart(keyMaterial);
        String base = """
                tls_server_config:
                  cert_file: %s
                  key_file: %s
                  min_version: TLS12
                  client_auth_type: NoClientCert
                http_server_config:
                  headers:
                    X-Frame-Options: deny
                basic_auth_users:
                  prom: %s
                rate_limit:
                  interval: 100ms
                  burst: 20
                """.formatted(tls.cert(), tls.key(), HASH);
        Path file = dir.resolve("web.yml");
        Files.writeString(file, base);
        WebConfig.load(file);
        for (int i = 0; i < n(400); i++) {
            String text = i % 25 == 0 ? Fuzz.text(r, 1 + r.nextInt(300)) : Fuzz.mutate(r, base, 6);
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
            check("web config", text, () -> WebConfig.load(file), WebConfigException.class);
        }
        for (String bomb : yamlBombs()) {
            Files.writeString(file, bomb);
            check("web config bomb", bomb, () -> WebConfig.load(file), WebConfigException.class);
        }
    }

    static final List<String> FLAGS = List.of(
            "--web.listen-address",
            "--web.config.file",
            "--web.telemetry-path",
            "--web.enable-reload",
            "--config.file",
            "--disable-default-metrics",
            "--disable-settings-metrics",
            "--auto-discover-databases",
            "--exclude-databases",
            "--include-databases",
            "--extend.query-path",
            "--constantLabels",
            "--metric-prefix",
            "--collection-timeout",
            "--log.level",
            "--log.format",
            "--naming.profile",
            "--pgmetrics.max-connections",
            "--pgmetrics.query-timeout",
            "--pgmetrics.scrape-timeout",
            "--collector.stat_statements.limit",
            "--collector.stat_statements.include_query",
            "--collector.database",
            "--no-collector.wal",
            "--collector.replication_slot",
            "--collector.bgwriter",
            "--web.systemd-socket");
    static final List<String> VALUES = List.of(
            "",
            "0",
            "-1",
            "1s",
            "1h30m",
            "10",
            "2147483648",
            "true",
            "false",
            "maybe",
            ":9187",
            "[::1]:0",
            "localhost:99999",
            "/metrics",
            "metrics",
            "a=b,c=d",
            "a=b=c,,",
            "debug",
            "json",
            "strict",
            "compat",
            "nope",
            "/nonexistent/file.yaml",
            "1e9",
            "NaN",
            "9500ms",
            "🐘",
            "x\u0000y");

    @Test
    void theCommandLineAnswersEveryMistakeInOneLineWithExitTwo() {
        Random r = new Random(SEED + 6);
        int count = n(400);
        for (int i = 0; i < count; i++) {
            List<String> args = new ArrayList<>();
            int k = 1 + r.nextInt(4);
            for (int j = 0; j < k; j++) {
                String flag = FLAGS.get(r.nextInt(FLAGS.size()));
                String value = r.nextInt(4) == 0 ? Fuzz.text(r, r.nextInt(30)) : VALUES.get(r.nextInt(VALUES.size()));
                switch (r.nextInt(6)) {
                    case 0 -> args.add(flag);
                    case 1 -> {
                        args.add(flag);
                        args.add(value);
                    }
                    case 2 -> args.add(Fuzz.mutate(r, flag + "=" + value, 3));
                    case 3 -> args.add(value);
                    default -> args.add(flag + "=" + value);
                }
            }
            judge("flags", String.join(" ", args), runMain(args));
        }
        assertThat(runMain(List.of("--help")).code).isZero();
        assertThat(runMain(List.of("--version")).code).isZero();
    }

    /** A handful through the real entry point (java -jar): the exit code and the one line are what scripts see. */
    @Test
    void aFewBadCommandLinesInTheRealJar() {
        List<List<String>> lines = List.of(
                List.of("--collection-timeout=soon"),
                List.of("--no-such.flag"),
                List.of("--web.listen-address=nowhere"),
                List.of("--collector.bgwriter"),
                List.of("--web.telemetry-path", "metrics\nX"),
                List.of(
                        "--config.file=" + dir.resolve("absent.yml"),
                        "--extend.query-path=" + dir.resolve("absent-queries.yml"),
                        "--web.listen-address=127.0.0.1:0"));
        for (List<String> args : lines) {
            try (ChildExporter child = ChildExporter.start(dir, args, Map.of())) {
                int code = child.await(java.time.Duration.ofSeconds(60));
                tried++;
                watch.record("child stderr " + args, child.stderr());
                judge("java -jar with", args.toString(), new Main(code, child.stdout(), child.stderr()));
                assertThat(code).as("exit code of %s: %s", args, child.stderr()).isEqualTo(2);
            }
        }
    }

    // ---- judging ----

    /** An outcome of Main's parse-only entry. */
    record Main(int code, String out, String err) {}

    static Main runMain(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            code = CommandLineEntry.parseOnly(
                    args.toArray(String[]::new),
                    Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (RuntimeException | Error e) {
            throw new AssertionError(
                    "the command line " + Fuzz.printable(args.toString()) + " threw " + e + "; " + Fuzz.replay(SEED),
                    e);
        } finally {
            watch.attach(); // the exporter's logging setup resets java.util.logging
        }
        tried++;
        Main m = new Main(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        watch.record("stdout of " + args, m.out);
        watch.record("stderr of " + args, m.err);
        return m;
    }

    private static void judge(String what, String input, Main m) {
        String context = what + " [" + Fuzz.printable(input) + "]; " + Fuzz.replay(SEED);
        assertThat(m.code).as("exit code for %s", context).isIn(0, 2);
        assertThat(Fuzz.looksLikeStackTrace(m.err))
                .as("a stack trace or class name on stderr for %s:\n%s", context, Fuzz.printable(m.err))
                .isFalse();
        if (m.code == 2) {
            assertThat(m.err.strip().lines().count())
                    .as("one line on stderr for %s:\n%s", context, Fuzz.printable(m.err))
                    .isEqualTo(1);
            assertThat(m.err).as(context).startsWith("pgmetrics-exporter: ");
        }
    }

    /**
     * Runs one input: it may work, or throw {@code expected} with a clear message; anything else, a
     * message with a stack trace or class names, or a parse that takes seconds, fails the test.
     */
    private static void check(String what, String input, ThrowingCall call, Class<? extends Throwable> expected) {
        tried++;
        long t0 = System.nanoTime();
        String context = what + " [" + Fuzz.printable(input) + "]; " + Fuzz.replay(SEED);
        try {
            call.run();
        } catch (Throwable e) {
            if (!expected.isInstance(e)) {
                fail("unexpected " + e + " for " + context, e);
            }
            String message = e.getMessage();
            watch.record(what + " error", message);
            assertThat(message).as("message for %s", context).isNotBlank();
            assertThat(Fuzz.looksLikeStackTrace(message))
                    .as("stack trace or class name in the message for %s:\n%s", context, Fuzz.printable(message))
                    .isFalse();
            assertThat(message)
                    .as("a parser bug caught by the last-resort guard, for %s", context)
                    .doesNotContain("internal error");
        }
        long took = System.nanoTime() - t0;
        if (took > SLOW_NANOS) {
            fail(what + " took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms for " + context);
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        Object run() throws Exception;
    }
}
