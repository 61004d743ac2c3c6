package io.pgmetrics.examples.agent;

import io.pgmetrics.examples.shop.ShopApp;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An ordinary application with no metrics code at all, to run with the pgmetrics agent. It takes
 * its database the way a Spring Boot application does ({@code spring.datasource.url},
 * {@code .username}, {@code .password} as system properties, or {@code SPRING_DATASOURCE_URL} and
 * friends in the environment), and the agent finds the same settings:
 *
 * <pre>
 * java -javaagent:pgmetrics-agent/target/pgmetrics-agent.jar=9188 \
 *      -Dspring.datasource.url=jdbc:postgresql://localhost:5432/shop \
 *      -Dspring.datasource.username=shop_app -Dspring.datasource.password=... \
 *      -cp "examples/target/classes:$(cat examples/target/sample-app.classpath)" io.pgmetrics.examples.agent.SampleApp
 * </pre>
 *
 * and the database's metrics are at {@code http://localhost:9188/metrics}.
 */
public final class SampleApp {

    private SampleApp() {}

    /** The application's data source from Spring's settings (system properties win); null when no URL is set. */
    public static PGSimpleDataSource dataSource(Properties properties, Map<String, String> env) {
        String url = setting(properties, "spring.datasource.url", env, "SPRING_DATASOURCE_URL");
        if (url == null) {
            return null;
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        String user = setting(properties, "spring.datasource.username", env, "SPRING_DATASOURCE_USERNAME");
        String password = setting(properties, "spring.datasource.password", env, "SPRING_DATASOURCE_PASSWORD");
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setApplicationName("sample-app");
        return ds;
    }

    private static String setting(Properties properties, String property, Map<String, String> env, String variable) {
        String value = properties.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    public static void main(String[] args) {
        PGSimpleDataSource dataSource = dataSource(System.getProperties(), System.getenv());
        if (dataSource == null) {
            System.err.println(
                    "set -Dspring.datasource.url=jdbc:postgresql://host:port/shop (and .username, .password),"
                            + " or SPRING_DATASOURCE_URL; see examples/README.md");
            System.exit(2);
        }
        AtomicLong orders = new AtomicLong();
        ShopApp shop = ShopApp.start(dataSource, () -> {
            if (orders.incrementAndGet() % 100 == 0) {
                System.out.println("sample app: " + orders.get() + " orders placed");
            }
        });
        ShopApp.closeOnExit(shop);
        System.out.println("sample app: placing an order every half second in database " + dataSource.getDatabaseName()
                + " (Ctrl-C to stop)");
    }
}
