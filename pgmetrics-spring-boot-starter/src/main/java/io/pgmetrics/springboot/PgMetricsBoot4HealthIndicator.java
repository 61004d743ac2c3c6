package io.pgmetrics.springboot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The health indicator in Boot 4's health API: UP when pg_up is 1. */
final class PgMetricsBoot4HealthIndicator implements HealthIndicator {

    private final PgUpCheck check;

    PgMetricsBoot4HealthIndicator(PgUpCheck check) {
        this.check = check;
    }

    @Override
    public Health health() {
        PgUpCheck.Result result = check.check();
        return (result.up() ? Health.up() : Health.down())
                .withDetails(result.details())
                .build();
    }
}
