package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import io.pgmetrics.exporter.config.ExporterConfig;
import java.time.Duration;

/**
 * How long one scrape may collect. Prometheus sends its scrape timeout in
 * {@code X-Prometheus-Scrape-Timeout-Seconds}; the budget is that minus half a second (for the
 * response to travel), never more than {@code --collection-timeout}. Without the header the budget
 * is {@code --pgmetrics.scrape-timeout} (9.5 s: Prometheus' default 10 s timeout minus the same margin),
 * again capped by {@code --collection-timeout}.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Budgets {

    static final String HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    private static final Duration MARGIN = Duration.ofMillis(500);

    private Budgets() {}

    public static Duration of(HttpExchange ex, ExporterConfig config) {
        return of(
                ex.getRequestHeaders().getFirst(HEADER),
                config.limits().collectionTimeout(),
                config.limits().defaultScrapeBudget());
    }

    static Duration of(String header, Duration cap, Duration withoutHeader) {
        Duration budget = withoutHeader;
        if (header != null) {
            try {
                double seconds = Double.parseDouble(header.strip());
                if (seconds > 0 && Double.isFinite(seconds)) {
                    Duration given = Duration.ofNanos((long) (seconds * 1e9));
                    // a short timeout keeps half of itself rather than nothing
                    budget = given.compareTo(MARGIN.multipliedBy(2)) > 0 ? given.minus(MARGIN) : given.dividedBy(2);
                }
            } catch (NumberFormatException ignored) {
                // a malformed header is ignored, as if absent
            }
        }
        return budget.compareTo(cap) > 0 ? cap : budget;
    }
}
