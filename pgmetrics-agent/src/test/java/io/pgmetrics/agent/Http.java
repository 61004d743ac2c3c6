package io.pgmetrics.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scrapes a child JVM's endpoint over real HTTP. */
final class Http {

    record Response(int status, String body) {}

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {}

    static Optional<Response> get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Response(r.statusCode(), r.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Polls {@code path} until it answers 200, or fails with the child's output. */
    static Response awaitOk(ChildJvm child, int port, String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Response> last = Optional.empty();
        while (System.nanoTime() < deadline && child.isAlive()) {
            last = get(port, path);
            if (last.isPresent() && last.get().status() == 200) {
                return last.get();
            }
            sleep(100);
        }
        throw new AssertionError("GET " + path + " on port " + port + " did not answer 200 within " + timeout
                + " (last: " + last.map(r -> r.status() + " " + r.body()).orElse("no answer") + ")\n" + child.output());
    }

    /** The value of the first sample of {@code name} whose labels contain {@code labelPart} (may be ""). */
    static OptionalDouble sample(String exposition, String name, String labelPart) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);
        Matcher m = p.matcher(exposition);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(labelPart)) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
