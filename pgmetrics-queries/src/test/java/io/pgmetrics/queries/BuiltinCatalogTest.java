package io.pgmetrics.queries;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.MetricType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog's declarations against the compatibility reference, without a server. */
class BuiltinCatalogTest {

    private static final Catalog CATALOG = BuiltinCatalog.load();
    private static final ExpectedFamilies EXPECTED = ExpectedFamilies.load();

    static List<Integer> majors() {
        return MetricsReference.SUPPORTED_MAJORS;
    }

    @Test
    void indexListsEveryResourceInOrder() throws IOException, URISyntaxException {
        Path folder = Path.of(BuiltinCatalog.class
                        .getResource("/io/pgmetrics/queries/index.txt")
                        .toURI())
                .getParent();
        List<String> onDisk;
        try (Stream<Path> files = Files.list(folder)) {
            onDisk = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(BuiltinCatalog.resourceNames()).containsExactlyElementsOf(onDisk);
        assertThat(CATALOG.queries()).hasSizeGreaterThan(50);
    }

    /**
     * Per query name (several definitions may share one name over disjoint versions): at most one
     * SQL variant applies to a major, and none only where the reference expects none of its families.
     */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("majors")
    void exactlyOneVariantAppliesUnlessTheQueryIsAbsentByDesign(int major) {
        Map<String, List<QueryDef>> byName = CATALOG.queries().stream()
                .collect(Collectors.groupingBy(QueryDef::name, TreeMap::new, Collectors.toList()));
        Set<String> expectedHere =
                EXPECTED.on(major).stream().map(ExpectedFamilies.Family::name).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        byName.forEach((name, defs) -> {
            long applicable = defs.stream()
                    .filter(q -> q.variantFor(PgVersion.major(major)).isPresent())
                    .count();
            if (applicable > 1) {
                problems.add(name + ": " + applicable + " variants apply");
            }
            if (applicable == 0) {
                defs.stream()
                        .flatMap(q -> CatalogMetric.of(q, NamingProfile.COMPAT).stream())
                        .map(CatalogMetric::name)
                        .filter(expectedHere::contains)
                        .forEach(f -> problems.add(name + ": no SQL, yet " + f + " is expected"));
            }
        });
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("majors")
    void compatFamiliesAreTheReferenceListsPerCollector(int major) {
        Set<String> ours = new TreeSet<>();
        for (QueryDef q : CATALOG.queries()) {
            for (CatalogMetric m : CatalogMetric.of(q, NamingProfile.COMPAT)) {
                if (!m.perRow() && m.appliesTo(major)) {
                    ours.add(describe(q.collector(), m.name(), m.type().text(), new TreeSet<>(m.labels())));
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        for (ExpectedFamilies.Family f : EXPECTED.on(major)) {
            if (!f.dynamic()) {
                expected.add(describe(f.collector(), f.name(), f.type(), new TreeSet<>(f.labels())));
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void databaseSizesAreReadInTheBackgroundAtMostAMinuteApart() {
        // the README promises sizes at most a minute (plus a scrape interval) old, never read while a scrape waits
        QueryDef sizes = CATALOG.queries().stream()
                .filter(q -> q.name().equals("pg_database"))
                .findFirst()
                .orElseThrow();
        assertThat(sizes.refreshInBackground()).isTrue();
        assertThat(sizes.ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(CATALOG.queries().stream().filter(QueryDef::refreshInBackground))
                .as("no other query is served past its ttl")
                .containsExactly(sizes);
    }

    @Test
    void familiesNamedPerRowComeFromTheirCollector() {
        for (ExpectedFamilies.Family f : EXPECTED.families()) {
            if (f.dynamic()) {
                assertThat(CATALOG.queries().stream()
                                .filter(q -> q.collector().equals(f.collector()))
                                .flatMap(q -> CatalogMetric.of(q, NamingProfile.COMPAT).stream())
                                .anyMatch(CatalogMetric::perRow))
                        .as("collector %s names families per row (%s)", f.collector(), f.name())
                        .isTrue();
            }
        }
    }

    /** postgres_exporter's 26 collectors exist with its defaults; ours are on only when cheap or bounded. */
    @Test
    void collectorsAndDefaultsArePostgresExportersForItsCollectors() {
        Set<String> on = Set.of(
                "database",
                "locks",
                "replication",
                "replication_slots",
                "roles",
                "settings",
                "stat_activity",
                "stat_archiver",
                "stat_bgwriter",
                "stat_database",
                "stat_progress_vacuum",
                "stat_replication",
                "stat_user_tables",
                "statio_user_tables",
                "wal");
        Set<String> off = Set.of(
                "buffercache_summary",
                "database_wraparound",
                "long_running_transactions",
                "postmaster",
                "process_idle",
                "stat_activity_autovacuum",
                "stat_checkpointer",
                "stat_statements",
                "stat_wal_receiver",
                "statio_user_indexes",
                "xlog_location");
        Map<String, Set<Boolean>> defaults = new TreeMap<>();
        for (QueryDef q : CATALOG.queries()) {
            defaults.computeIfAbsent(q.collector(), c -> new TreeSet<>()).add(q.enabledByDefault());
        }
        defaults.forEach((collector, values) -> assertThat(values)
                .as("queries of %s agree on enabled", collector)
                .hasSize(1));
        on.forEach(c -> assertThat(defaults.get(c)).as(c).containsExactly(true));
        off.forEach(c -> assertThat(defaults.get(c)).as(c).containsExactly(false));
        // of ours, the per-object ones are off (they multiply series by tables, indexes or statements)
        assertThat(defaults.get("stat_user_indexes")).containsExactly(false);
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** What promtool check metrics complains about, for every strict family on every version. */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("majors")
    void strictNamesFollowThePrometheusNamingRules(int major) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (QueryDef q : CATALOG.queries()) {
            for (CatalogMetric m : CatalogMetric.of(q, NamingProfile.STRICT)) {
                if (!m.appliesTo(major)) {
                    continue;
                }
                String n = m.name();
                if (!m.perRow() && (!NAME.matcher(n).matches() || !seen.add(n))) {
                    problems.add(n + ": invalid or emitted twice");
                }
                if (m.type() == MetricType.COUNTER && !n.endsWith("_total")) {
                    problems.add(n + ": counter without _total");
                }
                if (m.type() != MetricType.COUNTER && n.endsWith("_total")) {
                    problems.add(n + ": " + m.type().text() + " ending in _total");
                }
                if (m.type() != MetricType.HISTOGRAM
                        && (n.endsWith("_count") || n.endsWith("_sum") || n.endsWith("_bucket"))) {
                    problems.add(n + ": " + m.type().text() + " with a histogram suffix");
                }
                if (n.contains("milli") || n.contains("micro") || n.contains("_ms_") || n.endsWith("_ms")) {
                    problems.add(n + ": not a base unit");
                }
                if (m.unit().isPresent() && !n.contains("_" + m.unit().get())) {
                    problems.add(n + ": unit " + m.unit().get() + " not in the name");
                }
                if (m.help().isBlank()) {
                    problems.add(n + ": no help");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyCompatMetricHasHelpAndEveryQueryACollectorHelp() {
        for (QueryDef q : CATALOG.queries()) {
            assertThat(q.help()).as(q.name()).isNotBlank();
            for (CatalogMetric m : CatalogMetric.of(q, NamingProfile.COMPAT)) {
                assertThat(m.help()).as(m.name()).isNotBlank();
            }
        }
    }

    /** Where we type or label differently from postgres_exporter, the reference says so (and why). */
    @Test
    void deviationsFromPostgresExporterAreTheDocumentedOnes() {
        List<String> deviations = EXPECTED.families().stream()
                .filter(f -> f.peerType().isPresent() || !f.addedLabels().isEmpty())
                .map(f -> f.name()
                        + (f.peerType().isPresent() ? " typed " + f.type() : "")
                        + (f.addedLabels().isEmpty() ? "" : " +" + f.addedLabels()))
                .toList();
        assertThat(deviations)
                .containsExactlyInAnyOrder(
                        "pg_stat_database_checksum_failures typed counter",
                        "pg_stat_database_checksum_last_failure typed gauge",
                        "pg_stat_database_session_time typed counter",
                        "pg_stat_database_active_time typed counter",
                        "pg_stat_database_idle_in_transaction_time typed counter",
                        "pg_stat_database_sessions typed counter",
                        "pg_stat_database_sessions_abandoned typed counter",
                        "pg_stat_database_sessions_fatal typed counter",
                        "pg_stat_database_sessions_killed typed counter",
                        "pg_stat_database_parallel_workers_to_launch typed counter",
                        "pg_stat_database_parallel_workers_launched typed counter",
                        "pg_stat_database_conflicts_confl_active_logicalslot typed counter",
                        "pg_static typed gauge",
                        "pg_stat_replication_pg_current_wal_lsn_bytes +[pid]",
                        "pg_stat_replication_pg_wal_lsn_diff +[pid]",
                        "pg_stat_replication_reply_time typed gauge +[pid]",
                        "pg_statio_user_indexes_idx_blks_read_total +[datname]",
                        "pg_statio_user_indexes_idx_blks_hit_total +[datname]");
    }

    private static String describe(String collector, String name, String type, Set<String> labels) {
        return collector + " " + name + " " + type + " " + labels;
    }
}
