package io.pgmetrics.springboot.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a running application's actuator endpoints over HTTP, as Prometheus and a probe do. */
final class Actuator {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    Actuator(int port) {
        this.port = port;
    }

    /** The body of a GET; fails the test unless the status is one of {@code statuses}. */
    String get(String path, Integer... statuses) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (!List.of(statuses.length == 0 ? new Integer[] {200} : statuses).contains(response.statusCode())) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String prometheus() {
        return get("/actuator/prometheus");
    }

    /**
     * The value of the first sample of {@code name} whose labels contain {@code labelFragment} (e.g.
     * {@code datname="postgres"}, or "" for any) in a Prometheus text exposition; empty when there is none.
     */
    static Optional<Double> sample(String exposition, String name, String labelFragment) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)")
                .matcher(exposition);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(labelFragment)) {
                return Optional.of(Double.parseDouble(m.group(2)));
            }
        }
        return Optional.empty();
    }
}
