package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pgmetrics.exporter.scrape.Generation;
import io.pgmetrics.exporter.scrape.Scraper;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /metrics}: every configured target, within the scrape's budget; never a 500 for a database problem.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class MetricsEndpoint implements HttpHandler {

    private final Supplier<Generation> generations;
    private final Scraper scraper;
    private final String path;

    public MetricsEndpoint(String path, Supplier<Generation> generations, Scraper scraper) {
        this.path = path;
        this.generations = generations;
        this.scraper = scraper;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Responses.serve(
                ex,
                Set.of(path, path + "/"),
                generations,
                g -> Exposition.send(ex, scraper.metrics(g, Budgets.of(ex, g.config))));
    }
}
