package io.pgmetrics.springboot;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.DsnException;
import io.pgmetrics.core.connect.PooledConnectionSource;
import io.pgmetrics.core.connect.Secret;
import io.pgmetrics.core.publish.micrometer.MicrometerBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The database's metrics on every Micrometer registry of the application (Actuator's Prometheus endpoint among
 * them) and a {@code pgmetrics} health indicator, for Spring Boot 3.5 and 4.0 alike: Boot binds every
 * {@link MeterBinder} bean to its registries in both lines, and the health indicator comes in the variant of the
 * line that is present ({@link PgMetricsBoot3HealthAutoConfiguration}, {@link PgMetricsBoot4HealthAutoConfiguration}).
 *
 * <p>An application that defines its own {@link PgMetrics} bean keeps it; it is still bound and health-checked
 * unless the application defines its own {@link MicrometerBinder} too.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration", // Boot 3
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        }) // Boot 4
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnProperty(prefix = "pgmetrics", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PgMetricsProperties.class)
public class PgMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Conditional(DataSourceOrConnectionUrl.class)
    public PgMetrics pgMetrics(PgMetricsProperties properties, ObjectProvider<DataSource> dataSource) {
        PgMetrics.Builder builder =
                PgMetrics.builder().catalog(StarterCatalog.assemble(properties)).profile(properties.getProfile());
        PgMetricsProperties.Connection connection = properties.getConnection();
        if (connection.getUrl() != null && !connection.getUrl().isBlank()) {
            builder.connectionSource(new PooledConnectionSource(dedicated(connection)), true);
        } else {
            builder.dataSource(dataSource.getObject());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnSingleCandidate(PgMetrics.class)
    @ConditionalOnMissingBean
    public MicrometerBinder pgMetricsMeterBinder(PgMetrics pgMetrics, PgMetricsProperties properties) {
        return new MicrometerBinder(pgMetrics::collect, properties.getRefreshInterval());
    }

    /** The monitoring connection's DSN, the username and password properties taking precedence over the url's. */
    static Dsn dedicated(PgMetricsProperties.Connection connection) {
        Dsn dsn;
        try {
            dsn = Dsn.parse(connection.getUrl());
        } catch (DsnException e) {
            // the parser's messages leave passwords out
            throw new IllegalStateException("pgmetrics.connection.url: " + e.getMessage(), e);
        }
        if (connection.getUsername() == null && connection.getPassword() == null) {
            return dsn;
        }
        String user = connection.getUsername() != null
                ? connection.getUsername()
                : dsn.user().orElse(null);
        Secret password = connection.getPassword() != null
                ? new Secret(connection.getPassword())
                : dsn.password().orElse(null);
        return dsn.withCredentials(user, password);
    }

    /** Something to monitor: the application's one DataSource, or a dedicated connection's url. */
    static final class DataSourceOrConnectionUrl extends AnyNestedCondition {

        DataSourceOrConnectionUrl() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnSingleCandidate(DataSource.class)
        static final class ApplicationDataSource {}

        @ConditionalOnProperty(prefix = "pgmetrics.connection", name = "url")
        static final class ConnectionUrl {}
    }
}
