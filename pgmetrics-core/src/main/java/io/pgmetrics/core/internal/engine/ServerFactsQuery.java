package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.ServerFacts;
import io.pgmetrics.core.catalog.PgVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.TreeSet;

/** Reads {@link ServerFacts}: the engine's business, kept out of the record users see. */
final class ServerFactsQuery {

    private ServerFactsQuery() {}

    /**
     * The facts, and what users do not see: the session that answered and when it last loaded the
     * server's configuration ({@link ConfigReloads} makes sense of the two).
     */
    record Read(ServerFacts facts, int backendPid, Instant configLoaded) {}

    /** One round trip, cheap enough to run at every collection. */
    static final String SQL = "SELECT current_setting('server_version_num')::int, version(), pg_is_in_recovery(), "
            + "current_database(), "
            + "ARRAY(SELECT extname::text FROM pg_extension ORDER BY 1), "
            + "ARRAY(SELECT datname::text FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1), "
            + "pg_backend_pid(), pg_conf_load_time()";

    static Read read(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(SQL)) {
            rs.next();
            ServerFacts facts = new ServerFacts(
                    new PgVersion(rs.getInt(1)),
                    rs.getString(2),
                    rs.getBoolean(3),
                    rs.getString(4),
                    new TreeSet<>(Arrays.asList((String[]) rs.getArray(5).getArray())),
                    Arrays.asList((String[]) rs.getArray(6).getArray()));
            return new Read(facts, rs.getInt(7), rs.getTimestamp(8).toInstant());
        }
    }
}
