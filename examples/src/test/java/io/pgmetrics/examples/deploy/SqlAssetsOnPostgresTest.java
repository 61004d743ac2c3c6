package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL the deployment assets ship, on a real server: create-monitor-role.sql creates a role that
 * can do what the exporter needs and no more, and the custom queries run as that role and return
 * exactly the columns they declare.
 */
class SqlAssetsOnPostgresTest {

    private static final String ROLE = "pgmetrics";
    private static final String PASSWORD = "Role-Test-Pw-1";
    private static PgServer server;

    @BeforeAll
    static void start() {
        server = PgServer.start(PgServer.defaultMajor());
        String script = DeployAssets.read(DeployAssets.path("systemd/create-monitor-role.sql"));
        server.superuserSql(script);
        server.superuserSql(script); // the script may be run again
        server.superuserSql("ALTER ROLE " + ROLE + " PASSWORD '" + PASSWORD + "'");
        // something for every custom query to report: a never-scanned index, a called function
        server.superuserSql(
                "CREATE TABLE deploy_probe (id int PRIMARY KEY, v text)",
                "CREATE INDEX deploy_probe_v ON deploy_probe (v)",
                "INSERT INTO deploy_probe SELECT g, g::text FROM generate_series(1, 1000) g",
                "CREATE FUNCTION deploy_probe_f(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN $1 + 1; END $$",
                "SELECT deploy_probe_f(1)");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connectAsRole() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"), ROLE, PASSWORD);
    }

    @Test
    void createsAMonitoringLoginRoleWithoutPrivilegesBeyondPgMonitor() throws SQLException {
        try (Connection c = server.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, "
                                + "rolbypassrls, rolconnlimit, pg_has_role(oid, 'pg_monitor', 'MEMBER') AS monitor, "
                                + "array_to_string(rolconfig, ',') AS config FROM pg_roles WHERE rolname = '" + ROLE
                                + "'")) {
            assertThat(rs.next()).as("role created").isTrue();
            assertThat(rs.getBoolean("rolcanlogin")).isTrue();
            assertThat(rs.getBoolean("rolsuper")).isFalse();
            assertThat(rs.getBoolean("rolcreaterole")).isFalse();
            assertThat(rs.getBoolean("rolcreatedb")).isFalse();
            assertThat(rs.getBoolean("rolreplication")).isFalse();
            assertThat(rs.getBoolean("rolbypassrls")).isFalse();
            assertThat(rs.getInt("rolconnlimit")).isBetween(1, 20);
            assertThat(rs.getBoolean("monitor")).isTrue();
            assertThat(rs.getString("config"))
                    .contains("default_transaction_read_only=on", "statement_timeout=15s", "lock_timeout=1s");
        }
    }

    @Test
    void theRoleReadsWhatThePgMonitorGrantOpensAndCannotWrite() throws SQLException {
        try (Connection c = connectAsRole();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) >= 0 FROM pg_ls_waldir()")) {
                assertThat(rs.next()).isTrue(); // the wal collector's function: pg_monitor only
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_database_size('postgres') > 0")) {
                assertThat(rs.next() && rs.getBoolean(1)).isTrue();
            }
            try (ResultSet rs = st.executeQuery("SHOW default_transaction_read_only")) {
                assertThat(rs.next() && rs.getString(1).equals("on")).isTrue();
            }
            assertThat(failsWith(st, "CREATE TABLE pgmetrics_probe (id int)")).contains("read-only");
        }
    }

    @Test
    void customQueriesRunAsTheRoleAndReturnExactlyTheDeclaredColumns() throws SQLException {
        var queries = KubernetesManifestsTest.customQueries();
        try (Connection c = connectAsRole();
                Statement st = c.createStatement()) {
            for (var entry : queries.entrySet()) {
                Set<String> declared = new TreeSet<>();
                for (JsonNode column : entry.getValue().path("metrics")) {
                    declared.add(column.fieldNames().next());
                }
                try (ResultSet rs =
                        st.executeQuery(entry.getValue().path("query").asText())) {
                    ResultSetMetaData meta = rs.getMetaData();
                    Set<String> returned = new TreeSet<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        returned.add(meta.getColumnLabel(i));
                    }
                    assertThat(returned).as("columns of %s", entry.getKey()).isEqualTo(declared);
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            assertThat(rs.getObject(i))
                                    .as(
                                            "%s.%s is never NULL (NULL would become NaN)",
                                            entry.getKey(), meta.getColumnLabel(i))
                                    .isNotNull();
                        }
                    }
                    assertThat(rows).as("rows of %s", entry.getKey()).isPositive();
                }
            }
        }
    }

    private static String failsWith(Statement st, String sql) {
        try {
            st.execute(sql);
            return "succeeded";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
