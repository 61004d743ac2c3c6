package io.pgmetrics.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus text endpoint, with lookups by name and some labels. */
public final class Scrape {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A series: its name, labels and value. */
    public record Series(String name, Map<String, String> labels, double value) {}

    private final String body;
    private final List<Series> series;

    private Scrape(String body, List<Series> series) {
        this.body = body;
        this.series = series;
    }

    /** GETs the URL; fails the test unless the answer is 200. */
    public static Scrape of(URI url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    public static Scrape parse(String body) {
        List<Series> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return new Scrape(body, List.copyOf(out));
    }

    public String body() {
        return body;
    }

    public List<Series> series() {
        return series;
    }

    /** The value of the first series of that name whose labels include these (alternating names and values). */
    public OptionalDouble value(String name, String... labels) {
        return series.stream()
                .filter(s -> s.name().equals(name) && hasLabels(s, labels))
                .mapToDouble(Series::value)
                .findFirst();
    }

    private static boolean hasLabels(Series s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
