package io.pgmetrics.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a collection costs the server in statements and connections: on a loaded host every round
 * trip waits for the backend to be scheduled, so these counts are what scrape latency is made of
 * (see docs/performance.md).
 */
class RoundTripsTest {

    /** A role of this test only, so that pg_stat_statements tells its statements apart. */
    private static final String ROLE = "pgm_round_trips";

    private static final List<String> DATABASES = List.of("rt_a", "rt_b", "rt_c", "rt_d", "rt_e");

    static PgServer pg;

    @BeforeAll
    static void start() {
        pg = PgServer.start(PgServer.defaultMajor());
        pg.superuserSql("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'pw'", "GRANT pg_monitor TO " + ROLE);
        for (String db : DATABASES) {
            pg.superuserSql("CREATE DATABASE " + db);
        }
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static String dsn() {
        return "postgresql://" + ROLE + ":pw@localhost:" + pg.port() + "/postgres?sslmode=disable";
    }

    @Test
    void aCollectionOnNewConnectionsSendsNoCatalogLookUpsOfItsOwn() throws Exception {
        // columns of views carry their table's oid, which is what made pgjdbc look them up
        Catalog catalog = Catalog.of(
                QueryDef.builder("rt_databases")
                        .sql("SELECT datname, xact_commit FROM pg_stat_database WHERE datname IS NOT NULL")
                        .columns(ColumnDef.label("datname"), ColumnDef.counter("xact_commit", ""))
                        .build(),
                QueryDef.builder("rt_settings")
                        .sql("SELECT name, setting::float8 AS value FROM pg_settings WHERE vartype = 'integer'")
                        .columns(ColumnDef.label("name"), ColumnDef.gauge("value", ""))
                        .build(),
                QueryDef.builder("rt_activity")
                        .sql("SELECT coalesce(state, 'none') AS state, count(*) AS n FROM pg_stat_activity GROUP BY 1")
                        .columns(ColumnDef.label("state"), ColumnDef.gauge("n", ""))
                        .build());
        for (int i = 0; i < 3; i++) {
            try (PgMetrics m = PgMetrics.builder().dsn(dsn()).catalog(catalog).build()) {
                assertThat(m.collect().failures()).isEmpty();
            }
        }
        assertThat(statementsOfRole("%pg_attribute%"))
                .as("statements of the role reading pg_attribute")
                .isZero();
        assertThat(statementsOfRole("%pg_stat_database%")).isEqualTo(3);
    }

    @Test
    void theQueriesOfOneDatabaseShareOneConnection() {
        QueryDef first = QueryDef.builder("rt_first")
                .scope(Scope.DATABASE)
                .databases(DATABASES)
                .sql("SELECT pg_backend_pid() AS backend")
                .column(ColumnDef.gauge("backend", ""))
                .build();
        QueryDef second = QueryDef.builder("rt_second")
                .scope(Scope.DATABASE)
                .databases(DATABASES)
                .sql("SELECT pg_backend_pid() AS backend")
                .column(ColumnDef.gauge("backend", ""))
                .build();
        try (PgMetrics m = PgMetrics.builder()
                .dsn(dsn())
                .catalog(Catalog.of(first, second))
                .build()) {
            for (int round = 0; round < 2; round++) {
                CollectionResult c = m.collect();
                assertThat(c.failures()).isEmpty();
                MetricFamily a = c.family("rt_first_backend").orElseThrow();
                MetricFamily b = c.family("rt_second_backend").orElseThrow();
                for (String db : DATABASES) {
                    Labels l = Labels.of("datname", db);
                    assertThat(b.value(l))
                            .as("backend of the second query in %s", db)
                            .isEqualTo(a.value(l))
                            .isPresent();
                }
            }
        }
    }

    @Test
    void queriesKeepTheirWarmBackendWhilePgUpOpensANewConnectionEachTime() {
        QueryDef backend = QueryDef.builder("rt_backend")
                .sql("SELECT pg_backend_pid() AS pid")
                .column(ColumnDef.gauge("pid", ""))
                .build();
        try (PgMetrics m =
                PgMetrics.builder().dsn(dsn()).catalog(Catalog.of(backend)).build()) {
            java.util.Set<Double> backends = new java.util.HashSet<>();
            for (int round = 0; round < 3; round++) {
                CollectionResult c = m.collect();
                assertThat(c.up()).isTrue();
                backends.add(c.family("rt_backend_pid")
                        .orElseThrow()
                        .value(Labels.EMPTY)
                        .orElseThrow());
            }
            assertThat(backends).as("one query backend for every collection").hasSize(1);
        }
    }

    @Test
    void withMoreDatabasesThanConnectionsEachIsLeftOnceDoneButTheDefaultOne() throws Exception {
        List<String> withDefault = new java.util.ArrayList<>(DATABASES);
        withDefault.add("postgres");
        QueryDef backend = QueryDef.builder("rt_left")
                .scope(Scope.DATABASE)
                .databases(withDefault)
                .sql("SELECT 1 AS one")
                .column(ColumnDef.gauge("one", ""))
                .build();
        try (PgMetrics m =
                PgMetrics.builder().dsn(dsn()).catalog(Catalog.of(backend)).build()) {
            CollectionResult c = m.collect();
            assertThat(c.failures()).isEmpty();
            assertThat(c.family("rt_left_one").orElseThrow().samples()).hasSize(withDefault.size());
            Thread.sleep(200); // the closed backends end
            assertThat(backendDatabasesOfRole())
                    .as("connections kept open after the collection")
                    .containsExactly("postgres");
        }
    }

    private static List<String> backendDatabasesOfRole() throws Exception {
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT datname FROM pg_stat_activity WHERE usename = '" + ROLE + "'")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static long statementsOfRole(String like) throws Exception {
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s"
                        + " JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = '" + ROLE + "' AND s.query LIKE '"
                        + like + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
