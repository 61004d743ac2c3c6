package io.pgmetrics.agent;

import io.pgmetrics.exporter.config.TargetSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The connection a Spring Boot application already has: {@code spring.datasource.url},
 * {@code .username} and {@code .password}, as system properties or as the environment variables
 * {@code SPRING_DATASOURCE_URL}, {@code _USERNAME}, {@code _PASSWORD} (system properties win, as in
 * Spring). The agent uses it only when the exporter's own settings ({@code DATA_SOURCE_*},
 * {@code POSTGRES_*}, the config file's {@code targets}) name no database. Only PostgreSQL URLs
 * ({@code jdbc:postgresql:...}) are taken.
 */
final class SpringDataSource {

    static final String URL_VARIABLE = "SPRING_DATASOURCE_URL";
    static final String USER_VARIABLE = "SPRING_DATASOURCE_USERNAME";
    static final String PASSWORD_VARIABLE = "SPRING_DATASOURCE_PASSWORD";
    static final String URL_PROPERTY = "spring.datasource.url";
    static final String USER_PROPERTY = "spring.datasource.username";
    static final String PASSWORD_PROPERTY = "spring.datasource.password";

    private SpringDataSource() {}

    /**
     * What Spring's settings say.
     *
     * @param target the database, when a PostgreSQL URL is set
     * @param problem why a URL that is set is not used (it names another database product)
     */
    record Lookup(Optional<TargetSpec> target, Optional<String> problem) {
        static final Lookup NONE = new Lookup(Optional.empty(), Optional.empty());
    }

    static Lookup lookup(Map<String, String> env, Properties systemProperties) {
        Optional<Setting> url = setting(systemProperties, URL_PROPERTY, env, URL_VARIABLE);
        if (url.isEmpty()) {
            return Lookup.NONE;
        }
        String jdbcUrl = url.get().value().strip();
        if (!jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            return new Lookup(
                    Optional.empty(),
                    Optional.of(
                            url.get().name()
                                    + " is not a PostgreSQL URL (it does not start with jdbc:postgresql:); set DATA_SOURCE_NAME to the database to monitor"));
        }
        Optional<String> user =
                setting(systemProperties, USER_PROPERTY, env, USER_VARIABLE).map(Setting::value);
        Optional<String> password = setting(systemProperties, PASSWORD_PROPERTY, env, PASSWORD_VARIABLE)
                .map(Setting::value);
        return new Lookup(
                Optional.of(new TargetSpec(jdbcUrl, user, password, url.get().name())), Optional.empty());
    }

    private record Setting(String name, String value) {}

    private static Optional<Setting> setting(
            Properties props, String property, Map<String, String> env, String variable) {
        String fromProperty = props.getProperty(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Optional.of(new Setting("system property " + property, fromProperty));
        }
        String fromEnv = env.get(variable);
        return fromEnv != null && !fromEnv.isBlank()
                ? Optional.of(new Setting("environment variable " + variable, fromEnv))
                : Optional.empty();
    }
}
