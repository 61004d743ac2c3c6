import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test host application that brings its own, older versions of the libraries the agent uses
 * (pgjdbc, Jackson, Prometheus client_java) and SLF4J, and uses them all on every tick while the
 * agent runs. Arguments: the port of its own client_java metrics server. Environment: HOST_DB_URL,
 * HOST_DB_USER, HOST_DB_PASSWORD.
 */
public class ClashApp {
    public static void main(String[] args) throws Exception {
        System.out.println("HOST main entered");
        Logger log = LoggerFactory.getLogger(ClashApp.class);
        Counter ticks = Counter.builder()
                .name("host_ticks_total")
                .help("ticks of the host")
                .register();
        HTTPServer server = HTTPServer.builder().port(Integer.parseInt(args[0])).buildAndStart();
        ObjectMapper json = new ObjectMapper();
        String url = System.getenv("HOST_DB_URL");
        for (int tick = 0; ; tick++) {
            try {
                String answer;
                try (Connection c = DriverManager.getConnection(
                                url, System.getenv("HOST_DB_USER"), System.getenv("HOST_DB_PASSWORD"));
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT 40 + 2")) {
                    rs.next();
                    answer = rs.getString(1);
                }
                ticks.inc();
                List<String> drivers = new ArrayList<>();
                for (Driver d : java.util.Collections.list(DriverManager.getDrivers())) {
                    drivers.add(d.getClass().getName() + "@" + d.getMajorVersion() + "." + d.getMinorVersion());
                }
                String body = json.writeValueAsString(Map.of("answer", answer, "tick", tick));
                log.info("tick {}", tick);
                System.out.println("HOST ok tick=" + tick + " json=" + body
                        + " pgjdbc=" + org.postgresql.util.DriverInfo.DRIVER_VERSION
                        + " jackson=" + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION
                        + " jars=" + jar(org.postgresql.Driver.class) + "," + jar(ObjectMapper.class) + ","
                        + jar(Counter.class)
                        + " drivers=" + drivers + " metricsPort=" + server.getPort());
            } catch (Throwable e) {
                System.out.println("HOST FAIL tick=" + tick + " " + e);
                e.printStackTrace(System.out);
            }
            Thread.sleep(250);
        }
    }

    private static String jar(Class<?> c) {
        String path = c.getProtectionDomain().getCodeSource().getLocation().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
