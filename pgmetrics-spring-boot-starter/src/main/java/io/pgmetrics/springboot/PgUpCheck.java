package io.pgmetrics.springboot;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code pgmetrics} health indicator reports, whichever Boot line's health API carries it: {@code pg_up}
 * of a collection at most one refresh interval old (a health probe then adds no load to the database within an
 * interval), with where the metrics come from and, when down, why. No detail holds a password.
 */
final class PgUpCheck {

    /** @param details the health details, in the order they are shown */
    record Result(boolean up, Map<String, Object> details) {}

    private final PgMetrics pgMetrics;
    private final Duration maxAge;

    PgUpCheck(PgMetrics pgMetrics, Duration maxAge) {
        this.pgMetrics = pgMetrics;
        this.maxAge = maxAge;
    }

    Result check() {
        Instant oldest = Instant.now().minus(maxAge);
        CollectionResult c = pgMetrics
                .lastCollection()
                .filter(last -> last.startedAt().isAfter(oldest))
                .orElseGet(pgMetrics::collect);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pg_up", c.up() ? 1 : 0);
        details.put("source", pgMetrics.describe());
        c.plan().ifPresent(plan -> details.put("version", plan.facts().version().toString()));
        c.error().ifPresent(error -> details.put("error", error));
        details.put("collectedAt", c.startedAt().toString());
        return new Result(c.up(), details);
    }
}
