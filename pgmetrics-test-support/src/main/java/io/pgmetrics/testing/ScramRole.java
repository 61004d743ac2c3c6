package io.pgmetrics.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A login role that must authenticate with {@code scram-sha-256} over TCP, as on any PostgreSQL ≥ 14
 * out of the box: the embedded server trusts everyone, which hides what a new connection costs.
 */
public final class ScramRole {

    private ScramRole() {}

    /** Creates (or updates) {@code role}, a member of pg_monitor, and requires its password on TCP; returns its DSN to postgres. */
    public static String create(PgServer pg, String role, String password) {
        pg.superuserSql(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
                        + role + " LOGIN; END IF; END $$",
                "GRANT pg_monitor TO " + role,
                "SET password_encryption = 'scram-sha-256'",
                "ALTER ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        try (Connection c = pg.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW hba_file")) {
            rs.next();
            Path hba = Path.of(rs.getString(1));
            String rules =
                    "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role + " ::1/128 scram-sha-256\n";
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
        try {
            Thread.sleep(300); // the postmaster re-reads pg_hba.conf on SIGHUP, asynchronously
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return dsn(pg, role, password, "postgres");
    }

    public static String dsn(PgServer pg, String role, String password, String database) {
        return "postgresql://" + role + ":" + password + "@127.0.0.1:" + pg.port() + "/" + database
                + "?sslmode=disable";
    }
}
