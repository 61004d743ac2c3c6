package io.pgmetrics.springboot;

import io.pgmetrics.core.PgMetrics;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The {@code pgmetrics} health indicator in Boot 3's health API ({@code org.springframework.boot.actuate.health});
 * it stands down where Boot 4's API is present ({@link PgMetricsBoot4HealthAutoConfiguration}).
 */
@AutoConfiguration(after = PgMetricsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnMissingClass(PgMetricsBoot4HealthAutoConfiguration.HEALTH_INDICATOR)
@ConditionalOnProperty(prefix = "pgmetrics", name = "enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(PgMetrics.class)
@ConditionalOnEnabledHealthIndicator("pgmetrics")
public class PgMetricsBoot3HealthAutoConfiguration {

    /** Named pgmetricsHealthIndicator: the health component is "pgmetrics". */
    @Bean
    @ConditionalOnMissingBean(name = "pgmetricsHealthIndicator")
    PgMetricsBoot3HealthIndicator pgmetricsHealthIndicator(PgMetrics pgMetrics, PgMetricsProperties properties) {
        return new PgMetricsBoot3HealthIndicator(new PgUpCheck(pgMetrics, properties.getRefreshInterval()));
    }
}
