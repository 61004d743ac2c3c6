package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.config.TargetSpec;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SpringDataSourceTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void takesTheSpringBootEnvironmentVariables() {
        SpringDataSource.Lookup found = SpringDataSource.lookup(
                Map.of(
                        "SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/shop?currentSchema=app",
                        "SPRING_DATASOURCE_USERNAME", "shop",
                        "SPRING_DATASOURCE_PASSWORD", "p@ss word"),
                props());
        assertThat(found.problem()).isEmpty();
        TargetSpec target = found.target().orElseThrow();
        assertThat(target.dsn()).isEqualTo("jdbc:postgresql://db:5432/shop?currentSchema=app");
        assertThat(target.user()).contains("shop");
        assertThat(target.password()).contains("p@ss word");
        assertThat(target.origin()).isEqualTo("environment variable SPRING_DATASOURCE_URL");
        assertThat(target.toString()).doesNotContain("p@ss");
    }

    @Test
    void systemPropertiesWinOverTheEnvironmentAsInSpring() {
        SpringDataSource.Lookup found = SpringDataSource.lookup(
                Map.of(
                        "SPRING_DATASOURCE_URL", "jdbc:postgresql://from-env/db",
                        "SPRING_DATASOURCE_USERNAME", "env-user"),
                props(
                        "spring.datasource.url",
                        "jdbc:postgresql://from-property/db",
                        "spring.datasource.password",
                        "pw"));
        TargetSpec target = found.target().orElseThrow();
        assertThat(target.dsn()).isEqualTo("jdbc:postgresql://from-property/db");
        assertThat(target.user()).contains("env-user");
        assertThat(target.password()).contains("pw");
        assertThat(target.origin()).isEqualTo("system property spring.datasource.url");
    }

    @Test
    void withoutCredentialsTheUrlAloneIsTheTarget() {
        TargetSpec target = SpringDataSource.lookup(Map.of("SPRING_DATASOURCE_URL", " JDBC:POSTGRESQL:shop "), props())
                .target()
                .orElseThrow();
        assertThat(target.dsn()).isEqualTo("JDBC:POSTGRESQL:shop");
        assertThat(target.user()).isEmpty();
        assertThat(target.password()).isEmpty();
    }

    @Test
    void anotherDatabaseProductIsReportedNotUsed() {
        SpringDataSource.Lookup found = SpringDataSource.lookup(
                Map.of("SPRING_DATASOURCE_URL", "jdbc:mysql://db/shop", "SPRING_DATASOURCE_PASSWORD", "secret"),
                props());
        assertThat(found.target()).isEmpty();
        assertThat(found.problem())
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("environment variable SPRING_DATASOURCE_URL is not a PostgreSQL URL")
                        .contains("DATA_SOURCE_NAME")
                        .doesNotContain("secret"));
    }

    @Test
    void nothingSetIsNothingFound() {
        assertThat(SpringDataSource.lookup(Map.of("SPRING_DATASOURCE_URL", "  "), props()))
                .isEqualTo(SpringDataSource.Lookup.NONE);
        assertThat(SpringDataSource.lookup(Map.of(), props("spring.datasource.username", "u"))
                        .target())
                .isEqualTo(Optional.empty());
    }
}
