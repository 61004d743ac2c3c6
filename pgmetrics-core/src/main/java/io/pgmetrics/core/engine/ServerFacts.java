package io.pgmetrics.core.engine;

import io.pgmetrics.core.catalog.PgVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the engine knows about a server when it plans: a plan is remade when any of this changes.
 *
 * @param version {@code server_version_num}
 * @param versionText the full {@code version()} string
 * @param inRecovery whether the server is a standby
 * @param database the database the connection's default points at
 * @param extensions extensions installed in that database
 * @param databases databases that accept connections and are not templates
 */
public record ServerFacts(
        PgVersion version,
        String versionText,
        boolean inRecovery,
        String database,
        Set<String> extensions,
        List<String> databases) {

    public ServerFacts {
        extensions = Set.copyOf(extensions);
        databases = List.copyOf(databases);
    }

    /** One round trip, cheap enough to run at every collection. */
    static final String SQL = "SELECT current_setting('server_version_num')::int, version(), pg_is_in_recovery(), "
            + "current_database(), "
            + "ARRAY(SELECT extname::text FROM pg_extension ORDER BY 1), "
            + "ARRAY(SELECT datname::text FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1)";

    static ServerFacts read(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(SQL)) {
            rs.next();
            return new ServerFacts(
                    new PgVersion(rs.getInt(1)),
                    rs.getString(2),
                    rs.getBoolean(3),
                    rs.getString(4),
                    new TreeSet<>(Arrays.asList((String[]) rs.getArray(5).getArray())),
                    Arrays.asList((String[]) rs.getArray(6).getArray()));
        }
    }
}
