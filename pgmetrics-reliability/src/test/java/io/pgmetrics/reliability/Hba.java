package io.pgmetrics.reliability;

import io.pgmetrics.core.testing.PgServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Makes a role of a running server log in with a real password (the embedded default is trust). */
final class Hba {

    private Hba() {}

    /** Creates or updates {@code role} (LOGIN, pg_monitor) with {@code password} and requires it over TCP. */
    static void passwordRole(PgServer pg, String role, String password) {
        pg.superuserSql(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                        + " LOGIN; END IF; END $$",
                "GRANT pg_monitor TO " + role,
                "SET password_encryption = 'scram-sha-256'",
                "ALTER ROLE " + role + " PASSWORD '" + password.replace("'", "''") + "'");
        try (Connection c = pg.superuserConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW hba_file")) {
            rs.next();
            Path hba = Path.of(rs.getString(1));
            String rules = "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role + " ::1/128 scram-sha-256\n";
            String current = Files.readString(hba);
            if (!current.contains(rules)) {
                Files.writeString(hba, rules + current);
            }
            st.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FaultyServer.sleep(300); // the postmaster re-reads pg_hba.conf on SIGHUP, asynchronously
    }
}
