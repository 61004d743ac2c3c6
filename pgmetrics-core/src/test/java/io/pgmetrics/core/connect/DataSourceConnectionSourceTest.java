package io.pgmetrics.core.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.testing.PgServer;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class DataSourceConnectionSourceTest {

    private static PgServer pg;

    @BeforeAll
    static void startServer() {
        pg = PgServer.start(PgServer.defaultMajor());
        pg.superuserSql("CREATE DATABASE pgm_other");
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.close();
        }
    }

    private static PGSimpleDataSource dataSource(int port) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser(PgServer.MONITOR_USER);
        ds.setPassword(PgServer.MONITOR_PASSWORD);
        return ds;
    }

    @Test
    void servesTheDataSourcesOwnDatabaseOnly() throws Exception {
        try (DataSourceConnectionSource source = new DataSourceConnectionSource(dataSource(pg.port()))) {
            assertThat(source.canSwitchDatabase()).isFalse();
            try (Connection c = source.connection(null)) {
                assertThat(currentDatabase(c)).isEqualTo("postgres");
            }
            try (Connection c = source.connection("postgres")) {
                assertThat(currentDatabase(c)).isEqualTo("postgres");
            }
            assertThatThrownBy(() -> source.connection("pgm_other"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("serves database \"postgres\" only, not \"pgm_other\"");
            source.checkFresh();
        }
    }

    @Test
    void checkFreshFailsWhenNothingListens() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (DataSourceConnectionSource source = new DataSourceConnectionSource(dataSource(closedPort))) {
            assertThatThrownBy(source::checkFresh)
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PgServer.MONITOR_PASSWORD));
        }
    }

    @Test
    void discardClosesAndCloseLeavesTheDataSourceAlone() throws Exception {
        PGSimpleDataSource ds = dataSource(pg.port());
        DataSourceConnectionSource source = new DataSourceConnectionSource(ds);
        Connection c = source.connection(null);
        source.discard(c);
        assertThat(c.isClosed()).isTrue();
        source.discard(null);
        source.close();
        try (Connection again = ds.getConnection()) {
            assertThat(currentDatabase(again)).isEqualTo("postgres");
        }
        assertThat(source.describe()).contains("PGSimpleDataSource").doesNotContain(PgServer.MONITOR_PASSWORD);
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
