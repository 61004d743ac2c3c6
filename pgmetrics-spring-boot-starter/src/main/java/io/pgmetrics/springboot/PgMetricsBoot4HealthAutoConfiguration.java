package io.pgmetrics.springboot;

import io.pgmetrics.core.PgMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code pgmetrics} health indicator in Boot 4's health API ({@code org.springframework.boot.health}); the
 * Boot 3 variant is {@link PgMetricsBoot3HealthAutoConfiguration}. On Boot 3 the class condition fails first and
 * nothing of Boot 4 is loaded (Spring skips annotations whose type is missing).
 */
@AutoConfiguration(after = PgMetricsAutoConfiguration.class)
@ConditionalOnClass(name = PgMetricsBoot4HealthAutoConfiguration.HEALTH_INDICATOR)
@ConditionalOnProperty(prefix = "pgmetrics", name = "enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(PgMetrics.class)
@ConditionalOnEnabledHealthIndicator("pgmetrics")
public class PgMetricsBoot4HealthAutoConfiguration {

    static final String HEALTH_INDICATOR = "org.springframework.boot.health.contributor.HealthIndicator";

    /** Named pgmetricsHealthIndicator: the health component is "pgmetrics". */
    @Bean
    @ConditionalOnMissingBean(name = "pgmetricsHealthIndicator")
    PgMetricsBoot4HealthIndicator pgmetricsHealthIndicator(PgMetrics pgMetrics, PgMetricsProperties properties) {
        return new PgMetricsBoot4HealthIndicator(new PgUpCheck(pgMetrics, properties.getRefreshInterval()));
    }
}
