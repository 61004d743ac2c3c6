package io.pgmetrics.queries;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.Plan;
import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogOverlay;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.yaml.CnpgQueriesYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.core.yaml.LoadedQueries;
import io.pgmetrics.testing.PgServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Query files people run in production, read from where they are installed (they are not copied into this
 * repository), on every supported major as the pg_monitor role:
 *
 * <ul>
 *   <li>postgres_exporter's historical {@code queries.yaml}, from Debian's prometheus-postgres-exporter package
 *       ({@value #DEBIAN_QUERIES}; elsewhere: -D{@value #LEGACY_PROPERTY}= or ${@value #LEGACY_ENV});</li>
 *   <li>CloudNativePG's default monitoring set, its {@code config/manager/default-monitoring.yaml} (the ConfigMap,
 *       or the queries alone): -D{@value #CNPG_PROPERTY}= or ${@value #CNPG_ENV}.</li>
 * </ul>
 *
 * A file that is absent is skipped with the reason printed. For CloudNativePG's set every query either runs or
 * is skipped for the reason CloudNativePG itself would skip it (its runonserver range, primary-only on a
 * standby, a false predicate_query), which the test works out on its own from the file and the server.
 */
class EcosystemQueryFilesTest {

    static final String DEBIAN_QUERIES = "/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml";
    static final String LEGACY_PROPERTY = "pgmetrics.ecosystem.postgres-exporter-queries";
    static final String LEGACY_ENV = "PGMETRICS_POSTGRES_EXPORTER_QUERIES";
    static final String CNPG_PROPERTY = "pgmetrics.ecosystem.cnpg-queries";
    static final String CNPG_ENV = "PGMETRICS_CNPG_QUERIES";

    /** The historical file's pg_stat_statements reads total_time, which PostgreSQL 13 renamed: it fails there. */
    private static final String PRE_13_STATEMENTS = "pg_stat_statements";

    static List<Integer> majors() {
        return PgServer.supportedMajors();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("majors")
    void realQueryFilesOnARealServer(int major) throws Exception {
        Optional<String> legacy = text("postgres_exporter's queries.yaml", LEGACY_PROPERTY, LEGACY_ENV, DEBIAN_QUERIES);
        Optional<String> cnpg = text("CloudNativePG's default-monitoring.yaml", CNPG_PROPERTY, CNPG_ENV, null)
                .map(EcosystemQueryFilesTest::queriesOfConfigMap);
        Assumptions.assumeTrue(legacy.isPresent() || cnpg.isPresent(), "neither ecosystem query file is available");
        try (PgServer server = PgServer.start(major)) {
            server.superuserSql("CREATE DATABASE app");
            Workload.apply(server);
            if (legacy.isPresent()) {
                postgresExportersQueries(server, legacy.get());
            }
            if (cnpg.isPresent()) {
                cloudNativePgsDefaultQueries(server, cnpg.get());
            }
        }
    }

    /**
     * Loaded over the built-in catalog: every namespace runs but the one written before PostgreSQL 13, and the
     * built-in families the file does not define stay (its pg_replication defines only lag).
     */
    private static void postgresExportersQueries(PgServer server, String yaml) {
        LoadedQueries loaded = LegacyQueriesYaml.read(yaml, "queries.yaml");
        assertThat(loaded.warnings()).as("warnings").isEmpty();
        CatalogOverlay.Result overlay =
                CatalogOverlay.apply(BuiltinCatalog.load(), loaded.catalog(), NamingProfile.COMPAT);
        overlay.replacements()
                .forEach(r ->
                        System.out.println("PostgreSQL " + server.major() + ": " + r.describe(NamingProfile.COMPAT)));
        CollectionResult c = collect(server, overlay.catalog());
        List<String> problems = new ArrayList<>();
        for (QueryDef q : loaded.catalog().queries()) {
            String outcome = outcome(c, q);
            System.out.println(
                    "PostgreSQL " + server.major() + " postgres_exporter queries.yaml " + q.name() + ": " + outcome);
            boolean expectedToFail = q.name().equals(PRE_13_STATEMENTS);
            if (expectedToFail ? !outcome.matches("FAILED.*total_time.*does not exist.*") : !outcome.equals("OK")) {
                problems.add(q.name() + ": " + outcome);
            }
        }
        assertThat(problems)
                .as("postgres_exporter's queries on PostgreSQL " + server.major())
                .isEmpty();
        Set<String> families = c.families().stream().map(MetricFamily::name).collect(Collectors.toSet());
        assertThat(families)
                .contains(
                        "pg_replication_lag",
                        "pg_replication_is_replica",
                        "pg_replication_lag_seconds",
                        "pg_replication_last_replay_seconds",
                        "pg_postmaster_start_time_seconds");
        // the file's pg_stat_user_tables takes the families it defines; the built-in query keeps the others
        assertThat(overlay.replacements())
                .filteredOn(r -> r.query().name().equals("pg_stat_user_tables"))
                .singleElement()
                .satisfies(r -> assertThat(r.families(NamingProfile.COMPAT))
                        .contains("pg_stat_user_tables_seq_scan")
                        .doesNotContain("pg_stat_user_tables_table_size_bytes"));
        assertThat(families).contains("pg_stat_user_tables_table_size_bytes");
        assertThat(c.failures()).extracting(QueryOutcome::query).containsOnly(PRE_13_STATEMENTS);
    }

    private static void cloudNativePgsDefaultQueries(PgServer server, String yaml) throws Exception {
        LoadedQueries loaded = CnpgQueriesYaml.read(yaml, "default-monitoring.yaml", CnpgQueriesYaml.DEFAULT_PREFIX);
        assertThat(loaded.warnings()).as("warnings").isEmpty();
        JsonNode keys = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(loaded.catalog().queries()).hasSize(keys.size());
        CollectionResult c = collect(server, loaded.catalog());
        Set<String> families = c.families().stream().map(MetricFamily::name).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = keys.fields();
        for (int i = 0; it.hasNext(); i++) {
            Map.Entry<String, JsonNode> key = it.next();
            QueryDef q = loaded.catalog().queries().get(i);
            String expected = whatCloudNativePgDoes(server, key.getValue());
            String outcome = outcome(c, q);
            System.out.println("PostgreSQL " + server.major() + " CloudNativePG " + key.getKey() + ": " + outcome
                    + " (CloudNativePG: " + expected + ")");
            boolean agrees = switch (expected) {
                case "runs" -> outcome.equals("OK");
                case "skipped: version" -> outcome.startsWith("not planned: no variant");
                case "skipped: primary only" -> outcome.startsWith("not planned: runs on primary");
                case "skipped: predicate" -> outcome.equals("SKIPPED");
                default -> false;
            };
            if (!agrees) {
                problems.add(key.getKey() + ": " + outcome + ", but CloudNativePG: " + expected);
            }
            if (outcome.equals("OK")
                    && rows(c, q) > 0
                    && families.stream().noneMatch(f -> f.startsWith(q.name() + "_"))) {
                problems.add(key.getKey() + ": ran with rows but exported no " + q.name() + "_* family");
            }
        }
        assertThat(problems)
                .as("CloudNativePG's default queries on PostgreSQL " + server.major())
                .isEmpty();
    }

    /** CloudNativePG's own rules, from the file and the server: runonserver, primary, predicate_query. */
    private static String whatCloudNativePgDoes(PgServer server, JsonNode query) throws SQLException {
        try (Connection c = server.monitorConnection();
                Statement st = c.createStatement()) {
            if (query.hasNonNull("runonserver")) {
                ResultSet rs = st.executeQuery("SHOW server_version_num");
                rs.next();
                int num = Integer.parseInt(rs.getString(1));
                if (!inRange(num / 10000, num % 10000, query.get("runonserver").asText())) {
                    return "skipped: version";
                }
            }
            ResultSet recovery = st.executeQuery("SELECT pg_is_in_recovery()");
            recovery.next();
            boolean primaryOnly = query.path("primary").asBoolean(false)
                    || query.path("master").asBoolean(false);
            if (primaryOnly && recovery.getBoolean(1)) {
                return "skipped: primary only";
            }
            if (query.hasNonNull("predicate_query")) {
                ResultSet rs = st.executeQuery(query.get("predicate_query").asText());
                if (!rs.next() || !rs.getBoolean(1)) { // no row, false or NULL
                    return "skipped: predicate";
                }
            }
        }
        return "runs";
    }

    /** A semantic-version range of comparators joined by spaces, as CloudNativePG's default set writes them. */
    private static boolean inRange(int major, int minor, String range) {
        for (String comparator : range.trim().split("\\s+")) {
            String op = comparator.replaceAll("[0-9.].*", "");
            String[] parts = comparator.substring(op.length()).split("\\.");
            int cmp = Integer.compare(major, Integer.parseInt(parts[0]));
            if (cmp == 0 && parts.length > 1) {
                cmp = Integer.compare(minor, Integer.parseInt(parts[1]));
            }
            boolean ok = switch (op) {
                case ">=" -> cmp >= 0;
                case ">" -> cmp > 0;
                case "<=" -> cmp <= 0;
                case "<" -> cmp < 0;
                case "=", "" -> cmp == 0;
                default -> throw new IllegalArgumentException("comparator " + comparator + " in " + range);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** "OK", "SKIPPED" (its predicate), "FAILED …" or "not planned: <reason>"; several databases joined. */
    private static String outcome(CollectionResult c, QueryDef q) {
        Plan plan = c.plan().orElseThrow();
        for (Plan.Skipped s : plan.skipped()) {
            if (s.query() == q) {
                return "not planned: " + s.reason();
            }
        }
        if (plan.skipped().stream().anyMatch(s -> s.query().name().equals(q.name()))
                && plan.planned().stream().noneMatch(p -> p.query() == q)) {
            return "not planned: no variant (another query of this name runs)";
        }
        Map<String, String> byDatabase = new LinkedHashMap<>();
        for (QueryOutcome o : c.outcomes()) {
            if (o.query().equals(q.name())) {
                byDatabase.put(
                        o.database().orElse(""),
                        o.status() + (o.failed() ? " " + o.message().orElse("") : ""));
            }
        }
        return byDatabase.isEmpty()
                ? "no outcome"
                : byDatabase.values().stream().distinct().collect(Collectors.joining("; "));
    }

    private static long rows(CollectionResult c, QueryDef q) {
        return c.outcomes().stream()
                .filter(o -> o.query().equals(q.name()))
                .mapToLong(QueryOutcome::rows)
                .sum();
    }

    private static CollectionResult collect(PgServer server, Catalog catalog) {
        try (PgMetrics metrics = PgMetrics.builder()
                .dsn(server.monitorDsn())
                .catalog(catalog)
                .collectionTimeout(Duration.ofSeconds(60))
                .queryTimeout(Duration.ofSeconds(20))
                .build()) {
            return metrics.collect();
        }
    }

    /** The file's text: from the system property, else the environment variable, else the default path. */
    private static Optional<String> text(String what, String property, String env, String defaultPath)
            throws IOException {
        String path = System.getProperty(
                property, Optional.ofNullable(System.getenv(env)).orElse(defaultPath));
        if (path == null || path.isBlank()) {
            System.out.println("SKIPPED " + what + ": no path given; set -D" + property + "= or " + env);
            return Optional.empty();
        }
        Path file = Path.of(path);
        Path gzipped = Path.of(path + ".gz"); // Debian compresses larger documentation files
        if (!Files.isRegularFile(file) && !Files.isRegularFile(gzipped)) {
            System.out.println("SKIPPED " + what + ": " + file + " does not exist; set -D" + property + "= or " + env
                    + (path.equals(DEBIAN_QUERIES) ? " (or install Debian's prometheus-postgres-exporter)" : ""));
            return Optional.empty();
        }
        if (Files.isRegularFile(file)) {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipped))) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** CloudNativePG ships its default set as a ConfigMap whose data.queries holds the query file. */
    private static String queriesOfConfigMap(String yaml) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            return "ConfigMap".equals(root.path("kind").asText())
                    ? root.path("data").path("queries").asText()
                    : yaml;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CloudNativePG file: " + e.getMessage(), e);
        }
    }
}
