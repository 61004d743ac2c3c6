package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.testing.Http;
import io.pgmetrics.testing.LoginCounter;
import io.pgmetrics.testing.PgServer;
import io.pgmetrics.testing.ScramRole;
import java.net.InetSocketAddress;
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
    private static final Pattern DURATION =
            Pattern.compile("(?m)^pg_exporter_last_scrape_duration_seconds ([0-9.eE+-]+)$");

    @Test
    void printFigures() throws Exception {
        int scrapes = Integer.getInteger("pgmetrics.figures.scrapes", 60);
        try (PgServer pg = PgServer.start(PgServer.defaultMajor())) {
            String dsn = ScramRole.create(pg, ROLE, PASSWORD);
            List<String> databases = new ArrayList<>(List.of("postgres"));
            LoginCounter.install(pg, "postgres", ROLE);
            for (int n : new int[] {1, 3, 100}) {
                while (databases.size() < n) {
                    String db = "fig_" + databases.size();
                    pg.superuserSql("CREATE DATABASE " + db);
                    LoginCounter.install(pg, db, ROLE);
                    databases.add(db);
                }
                try (Exporter exporter = Exporter.start(ExporterConfig.builder()
                        .listenAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))
                        .target(dsn)
                        .build())) {
                    for (int i = 0; i < 5; i++) {
                        assertThat(Http.get(exporter.port(), "/metrics").status())
                                .isEqualTo(200);
                    }
                    long before = LoginCounter.count(pg, databases);
                    double[] latency = new double[scrapes];
                    double[] collection = new double[scrapes];
                    for (int i = 0; i < scrapes; i++) {
                        long t0 = System.nanoTime();
                        String body = Http.get(exporter.port(), "/metrics").body();
                        latency[i] = (System.nanoTime() - t0) / 1e6;
                        Matcher m = DURATION.matcher(body);
                        collection[i] = m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
                    }
                    double perScrape = (LoginCounter.count(pg, databases) - before) / (double) scrapes;
                    System.out.printf(
                            "FIGURES %3d database(s), scram-sha-256, %d scrapes back to back: scrape median %.1f ms,"
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
}
