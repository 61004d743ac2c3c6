package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.testing.PgServer;
import io.pgmetrics.core.testing.ScramRole;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints what a scrape costs with scram-sha-256 at 1, 3 and 100 databases, default settings: scrape
 * and collection time, and new logins per scrape as the server counts them (a login event trigger,
 * PostgreSQL 17+). Figures, not a timed test: run with {@code -Dpgmetrics.figures=true}.
 */
@EnabledIfSystemProperty(named = "pgmetrics.figures", matches = "true")
class ConnectionFiguresTest {

    private static final String ROLE = "pgm_figures";
    private static final String PASSWORD = "figures-Pw-1";
    private static final Pattern DURATION = Pattern.compile("(?m)^pg_exporter_last_scrape_duration_seconds ([0-9.eE+-]+)$");

    @Test
    void printFigures() throws Exception {
        int scrapes = Integer.getInteger("pgmetrics.figures.scrapes", 60);
        try (PgServer pg = PgServer.start(PgServer.defaultMajor())) {
            String dsn = ScramRole.create(pg, ROLE, PASSWORD);
            List<String> databases = new ArrayList<>(List.of("postgres"));
            countLogins(pg, "postgres");
            for (int n : new int[] {1, 3, 100}) {
                while (databases.size() < n) {
                    String db = "fig_" + databases.size();
                    pg.superuserSql("CREATE DATABASE " + db);
                    countLogins(pg, db);
                    databases.add(db);
                }
                try (Exporter exporter = Exporter.start(ExporterConfig.builder()
                        .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0))).target(dsn).build())) {
                    for (int i = 0; i < 5; i++) {
                        assertThat(Http.get(exporter.port(), "/metrics").status()).isEqualTo(200);
                    }
                    long before = logins(pg, databases);
                    double[] latency = new double[scrapes];
                    double[] collection = new double[scrapes];
                    for (int i = 0; i < scrapes; i++) {
                        long t0 = System.nanoTime();
                        String body = Http.get(exporter.port(), "/metrics").body();
                        latency[i] = (System.nanoTime() - t0) / 1e6;
                        Matcher m = DURATION.matcher(body);
                        collection[i] = m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
                    }
                    double perScrape = (logins(pg, databases) - before) / (double) scrapes;
                    System.out.printf("FIGURES %3d database(s), scram-sha-256, %d scrapes back to back: scrape median %.1f ms,"
                            + " collection median %.1f ms, new logins per scrape %.2f%n",
                            n, scrapes, median(latency), median(collection), perScrape);
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static void countLogins(PgServer pg, String db) {
        pg.superuserSqlIn(db,
                "CREATE SEQUENCE IF NOT EXISTS public.fig_logins",
                "CREATE OR REPLACE FUNCTION public.fig_count_login() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER"
                        + " AS $$ BEGIN IF session_user = '" + ROLE + "' THEN PERFORM nextval('public.fig_logins'); END IF; END $$",
                "CREATE EVENT TRIGGER fig_login ON login EXECUTE FUNCTION public.fig_count_login()");
    }

    private static long logins(PgServer pg, List<String> databases) throws Exception {
        long n = 0;
        for (String db : databases) {
            try (Connection c = pg.superuserConnection(db); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.fig_logins")) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }
}
