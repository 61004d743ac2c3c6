package io.pgmetrics.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A role's logins as the server counts them, with a login event trigger (PostgreSQL 17 and later) in each
 * database: a collection that opened no connection leaves the count where it was.
 */
public final class LoginCounter {

    private LoginCounter() {}

    /** Counts the logins of {@code role} into {@code database} from now on. */
    public static void install(PgServer pg, String database, String role) {
        pg.superuserSqlIn(
                database,
                "CREATE SEQUENCE IF NOT EXISTS public.test_logins",
                "CREATE OR REPLACE FUNCTION public.test_count_login() RETURNS event_trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER AS $$ BEGIN IF session_user = '" + role
                        + "' THEN PERFORM nextval('public.test_logins'); END IF; END $$",
                "CREATE EVENT TRIGGER test_login ON login EXECUTE FUNCTION public.test_count_login()");
    }

    /** The logins counted so far in the given databases. */
    public static long count(PgServer pg, List<String> databases) throws SQLException {
        long n = 0;
        for (String db : databases) {
            try (Connection c = pg.superuserConnection(db);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.test_logins")) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }
}
