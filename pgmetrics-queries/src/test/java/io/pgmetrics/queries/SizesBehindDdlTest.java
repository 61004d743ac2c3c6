package io.pgmetrics.queries;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in queries that read relation sizes never wait behind a user's DDL. A size function
 * ({@code pg_table_size}, {@code pg_indexes_size}, {@code pg_relation_size}) takes ACCESS SHARE on
 * its relation, which waits for an ACCESS EXCLUSIVE lock that is held (VACUUM FULL, ALTER TABLE,
 * LOCK TABLE …) or queued ahead of it; such a relation gets no size in that collection, every other
 * relation does. The monitoring role runs each query with a lock_timeout of a minute, so a query
 * that waits fails with that error here instead of hanging.
 */
class SizesBehindDdlTest {

    private static final Catalog CATALOG = BuiltinCatalog.load();
    private static final String DB = "ddl_sizes";
    private static final Pattern SIZE_FUNCTION = Pattern.compile("pg_(table|indexes|relation|total_relation)_size\\(");
    private static final String PLAIN_ROLE = "pgm_plain";
    private static final String PLAIN_PASSWORD = "plain-Pw-1";

    private static PgServer server;

    @BeforeAll
    static void start() {
        server = PgServer.start(PgServer.defaultMajor());
        server.superuserSql("CREATE DATABASE " + DB);
        server.superuserSqlIn(
                DB,
                // no autovacuum worker may visit these tables while a test reads the plan (it is a session here)
                "CREATE TABLE locked_t (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off)",
                "CREATE TABLE other_t (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off)",
                "INSERT INTO locked_t SELECT g, 'x' FROM generate_series(1, 100) g",
                "INSERT INTO other_t SELECT g, 'x' FROM generate_series(1, 100) g",
                "ANALYZE",
                // a role without pg_monitor sees neither the state nor the kind of other roles' sessions
                "CREATE ROLE " + PLAIN_ROLE + " LOGIN PASSWORD '" + PLAIN_PASSWORD + "'");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Every database-scoped query of the catalog whose SQL for this major reads a relation's size. */
    private static List<QueryDef> sizeQueries() {
        PgVersion version = PgVersion.major(server.major());
        List<QueryDef> found = CATALOG.queries().stream()
                .filter(q -> q.scope() == Scope.DATABASE)
                .filter(q -> q.variantFor(version)
                        .map(v -> SIZE_FUNCTION.matcher(v.sql()).find())
                        .orElse(false))
                .toList();
        assertThat(found).extracting(QueryDef::name).contains("pg_stat_user_tables", "pg_stat_user_indexes");
        return found;
    }

    @Test
    void aHeldAccessExclusiveLockLeavesThatTableWithoutSizes() throws Exception {
        try (Connection ddl = lockingLockedTable()) {
            everySizeQuerySkipsOnlyTheLockedTable(monitor());
            everySizeQuerySkipsOnlyTheLockedTable(plainRole());
            ddl.rollback();
        }
    }

    @Test
    void aQueuedAccessExclusiveLockLeavesThatTableWithoutSizes() throws Exception {
        try (Connection reader = server.superuserConnection(DB);
                Connection ddl = server.superuserConnection(DB);
                Statement readerSt = reader.createStatement()) {
            reader.setAutoCommit(false);
            readerSt.executeQuery("SELECT count(*) FROM locked_t").close(); // holds ACCESS SHARE until rollback
            ddl.setAutoCommit(false);
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try (Statement st = ddl.createStatement()) {
                    st.execute("LOCK TABLE locked_t IN ACCESS EXCLUSIVE MODE"); // queues behind the reader
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitQueuedAccessExclusive();
            everySizeQuerySkipsOnlyTheLockedTable(monitor());
            reader.rollback();
            waiting.get();
            ddl.rollback();
        }
    }

    /**
     * A prepared transaction keeps its locks with no session at all: no busy session is then seen,
     * and only the check of prepared transactions stands between a size function and the lock.
     */
    @Test
    void aPreparedTransactionsLockLeavesThatTableWithoutSizes() throws Exception {
        try (Connection ddl = lockingLockedTable();
                Statement st = ddl.createStatement()) {
            st.execute("PREPARE TRANSACTION 'sizes_behind_ddl'");
            ddl.setAutoCommit(true);
            try {
                everySizeQuerySkipsOnlyTheLockedTable(monitor());
            } finally {
                st.execute("ROLLBACK PREPARED 'sizes_behind_ddl'");
            }
        }
    }

    /**
     * With no other session busy in the database, the queries do not read pg_locks (which walks the
     * whole shared lock table, the larger the more max_connections): an idle session of another role
     * does not count. An autovacuum worker passing by is a busy session, so a few tries are allowed.
     */
    @Test
    void anIdleDatabaseIsNotCheckedInPgLocks() throws Exception {
        try (Connection idle = server.superuserConnection(DB);
                Connection c = monitor()) {
            idle.createStatement().executeQuery("SELECT 1").close();
            for (QueryDef q : sizeQueries()) {
                String sql = bound(q);
                boolean skipped = false;
                for (int attempt = 0; attempt < 20 && !skipped; attempt++) {
                    String plan = explainAnalyze(c, sql);
                    assertThat(plan).as(q.name()).contains("pg_lock_status");
                    skipped = plan.lines()
                            .filter(l -> l.contains("pg_lock_status"))
                            .allMatch(l -> l.contains("never executed"));
                    if (!skipped) {
                        Thread.sleep(100);
                    }
                }
                assertThat(skipped)
                        .as(q.name() + " read pg_locks in a database without a busy session")
                        .isTrue();
            }
        }
    }

    /** A session in a transaction that holds ACCESS EXCLUSIVE on locked_t. */
    private static Connection lockingLockedTable() throws SQLException {
        Connection ddl = server.superuserConnection(DB);
        ddl.setAutoCommit(false);
        try (Statement st = ddl.createStatement()) {
            st.execute("LOCK TABLE locked_t IN ACCESS EXCLUSIVE MODE");
        }
        return ddl;
    }

    private static void everySizeQuerySkipsOnlyTheLockedTable(Connection c) throws SQLException {
        try (c) {
            try (Statement st = c.createStatement()) {
                st.execute("SET lock_timeout = '60s'"); // a query that waits fails instead of hanging the test
            }
            for (QueryDef q : sizeQueries()) {
                MonitorSql.Result r = MonitorSql.run(
                        c,
                        q,
                        q.variantFor(PgVersion.major(server.major()))
                                .orElseThrow()
                                .sql(),
                        Map.of());
                List<String> sizes = r.columns().stream()
                        .filter(col -> col.endsWith("size_bytes"))
                        .toList();
                assertThat(sizes).as(q.name()).isNotEmpty();
                assertThat(r.rows()).as(q.name()).anyMatch(row -> "locked_t".equals(row.get("relname")));
                assertThat(r.rows()).as(q.name()).anyMatch(row -> "other_t".equals(row.get("relname")));
                for (Map<String, Object> row : r.rows()) {
                    for (String size : sizes) {
                        if ("locked_t".equals(row.get("relname"))) {
                            assertThat(row.get(size))
                                    .as(q.name() + " " + size + " of " + row)
                                    .isNull();
                        } else {
                            assertThat(row.get(size))
                                    .as(q.name() + " " + size + " of " + row)
                                    .isNotNull();
                        }
                    }
                }
            }
        }
    }

    private static void awaitQueuedAccessExclusive() throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        try (Connection c = server.superuserConnection(DB);
                Statement st = c.createStatement()) {
            while (Instant.now().isBefore(until)) {
                try (ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM pg_locks WHERE relation = 'locked_t'::regclass"
                                + " AND mode = 'AccessExclusiveLock' AND NOT granted")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("LOCK TABLE did not queue behind the reader within 30 s");
    }

    /** The query's SQL with its parameters' defaults written in, for EXPLAIN. */
    private static String bound(QueryDef q) {
        String sql = q.variantFor(PgVersion.major(server.major())).orElseThrow().sql();
        for (Map.Entry<String, String> p : q.parameters().entrySet()) {
            sql = sql.replace("${" + p.getKey() + "}", "'" + p.getValue() + "'");
        }
        return sql;
    }

    private static String explainAnalyze(Connection c, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) " + sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("\n", lines);
    }

    private static Connection monitor() throws SQLException {
        return MonitorSql.connect(server, DB);
    }

    private static Connection plainRole() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(DB), PLAIN_ROLE, PLAIN_PASSWORD);
    }
}
