package io.pgmetrics.examples;

import io.pgmetrics.testing.PromText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/** One scrape of a Prometheus text endpoint, with lookups by name and some labels. */
public final class Scrape {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PromText text;

    private Scrape(PromText text) {
        this.text = text;
    }

    /** GETs the URL (an IOException when nothing answers); fails the test unless the answer is 200. */
    public static Scrape of(URI url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return new Scrape(PromText.parse(r.body()));
    }

    /** The value of the first series of that name whose labels include these (alternating names and values). */
    public OptionalDouble value(String name, String... labels) {
        return text.value(name, labels).map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }
}
