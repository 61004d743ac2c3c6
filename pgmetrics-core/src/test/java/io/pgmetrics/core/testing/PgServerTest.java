package io.pgmetrics.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PgServerTest {

    static java.util.List<Integer> majors() {
        return PgServer.supportedMajors();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("majors")
    void startsTheRequestedMajorWithAMonitorRole(int major) throws Exception {
        try (PgServer pg = PgServer.start(major);
                var c = pg.monitorConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT current_setting('server_version_num')::int / 10000, "
                                + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
                                + "pg_has_role('pg_monitor', 'member')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(major);
            assertThat(rs.getBoolean(2)).as("monitor role is not a superuser").isFalse();
            assertThat(rs.getBoolean(3)).as("monitor role is in pg_monitor").isTrue();
        }
    }
}
