package io.pgmetrics.springboot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The health indicator in Boot 3's health API: UP when pg_up is 1. */
final class PgMetricsBoot3HealthIndicator implements HealthIndicator {

    private final PgUpCheck check;

    PgMetricsBoot3HealthIndicator(PgUpCheck check) {
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
