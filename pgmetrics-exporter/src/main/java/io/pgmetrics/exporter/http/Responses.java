package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import io.pgmetrics.exporter.scrape.Generation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Small helpers to answer HTTP requests.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Responses {

    private Responses() {}

    public static void text(HttpExchange ex, int status, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        sendBytes(ex, status, (body.endsWith("\n") ? body : body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void html(HttpExchange ex, int status, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        sendBytes(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    static void sendBytes(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    /** Answers 405 unless the method is one of {@code allowed}; returns whether it answered. */
    public static boolean rejectMethod(HttpExchange ex, String... allowed) throws IOException {
        for (String m : allowed) {
            if (m.equals(ex.getRequestMethod())) {
                return false;
            }
        }
        ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
        text(ex, 405, "method " + ex.getRequestMethod() + " not allowed; use " + String.join(" or ", allowed));
        return true;
    }

    /** What an endpoint does once the request is known to be for it, with the current generation. */
    public interface GenerationHandler {
        void handle(Generation g) throws IOException;
    }

    /**
     * The part every endpoint shares: 404 for another path, 405 for a method other than GET and HEAD, 503
     * while shutting down; else {@code handler} runs with the current generation, released afterwards.
     */
    public static void serve(
            HttpExchange ex, Set<String> paths, Supplier<Generation> generations, GenerationHandler handler)
            throws IOException {
        if (!paths.contains(ex.getRequestURI().getPath())) {
            text(ex, 404, "not found");
            return;
        }
        if (rejectMethod(ex, "GET", "HEAD")) {
            return;
        }
        Generation g = generations.get();
        if (g == null) {
            text(ex, 503, "the exporter is shutting down");
            return;
        }
        try {
            handler.handle(g);
        } finally {
            g.release();
        }
    }

    static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
