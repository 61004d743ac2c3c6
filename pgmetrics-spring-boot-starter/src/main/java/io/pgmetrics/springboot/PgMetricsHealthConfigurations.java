package io.pgmetrics.springboot;

import io.pgmetrics.core.PgMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code pgmetrics} health indicator (named after its bean, less the suffix) in the health API of the Boot line
 * that is present. Boot 4 moved that API to {@code org.springframework.boot.health.contributor}; each variant is
 * guarded by its line's class, and the enabled-indicator condition of the other line is never loaded (Spring
 * ignores an annotation whose type is missing), so {@code management.health.pgmetrics.enabled=false} works in both.
 */
final class PgMetricsHealthConfigurations {

    private PgMetricsHealthConfigurations() {}

    static final String BOOT4_HEALTH_INDICATOR = "org.springframework.boot.health.contributor.HealthIndicator";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = BOOT4_HEALTH_INDICATOR)
    @ConditionalOnSingleCandidate(PgMetrics.class)
    @org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator("pgmetrics")
    static class Boot4 {

        @Bean
        @ConditionalOnMissingBean(name = "pgmetricsHealthIndicator")
        Boot4PgMetricsHealthIndicator pgmetricsHealthIndicator(PgMetrics pgMetrics, PgMetricsProperties properties) {
            return new Boot4PgMetricsHealthIndicator(new PgUpCheck(pgMetrics, properties.getRefreshInterval()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnMissingClass(BOOT4_HEALTH_INDICATOR)
    @ConditionalOnSingleCandidate(PgMetrics.class)
    @org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator("pgmetrics")
    static class Boot3 {

        @Bean
        @ConditionalOnMissingBean(name = "pgmetricsHealthIndicator")
        Boot3PgMetricsHealthIndicator pgmetricsHealthIndicator(PgMetrics pgMetrics, PgMetricsProperties properties) {
            return new Boot3PgMetricsHealthIndicator(new PgUpCheck(pgMetrics, properties.getRefreshInterval()));
        }
    }
}
