package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import io.pgmetrics.core.internal.publish.Snapshots;
import io.pgmetrics.core.publish.TextFormat;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes metric families as an HTTP response: the Prometheus text format 0.0.4 (postgres_exporter's
 * exact names) unless the Accept header asks for OpenMetrics, gzip when Accept-Encoding allows it,
 * and only the families named by {@code name[]} parameters when there are any.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Exposition {

    static final String OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private Exposition() {}

    /** The {@code name[]} values of a query string, in order, without repeats. */
    static Set<String> nameFilter(String rawQuery) {
        Set<String> names = new LinkedHashSet<>();
        for (String[] kv : params(rawQuery)) {
            if (kv[0].equals("name[]") && !kv[1].isEmpty()) {
                names.add(kv[1]);
            }
        }
        return names;
    }

    /** The first value of a query parameter, or null. */
    public static String param(String rawQuery, String name) {
        for (String[] kv : params(rawQuery)) {
            if (kv[0].equals(name)) {
                return kv[1];
            }
        }
        return null;
    }

    static List<String[]> params(String rawQuery) {
        List<String[]> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.add(new String[] {
                    URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)
                });
            } catch (IllegalArgumentException e) {
                out.add(new String[] {k, v}); // a broken %-escape: keep it literal
            }
        }
        return out;
    }

    /** Whether a family is asked for: by its name, or by a name a scraper sees for it (_total, _bucket …). */
    static boolean selected(MetricFamily f, Set<String> names) {
        if (names.isEmpty() || names.contains(f.name())) {
            return true;
        }
        if (f.type() == MetricType.COUNTER
                && f.name().endsWith("_total")
                && names.contains(f.name().substring(0, f.name().length() - 6))) {
            return true;
        }
        if (f.type() == MetricType.HISTOGRAM) {
            return names.contains(f.name() + "_bucket")
                    || names.contains(f.name() + "_sum")
                    || names.contains(f.name() + "_count");
        }
        return false;
    }

    static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.strip().split(";");
            if (p[0].strip().equals("gzip")
                    && !(p.length > 1 && p[1].replace(" ", "").equals("q=0"))) {
                return true;
            }
        }
        return false;
    }

    /** Sends the families (filtered by the request's name[] parameters); HEAD gets headers only. */
    public static void send(HttpExchange ex, List<MetricFamily> families) throws IOException {
        Set<String> names = nameFilter(ex.getRequestURI().getRawQuery());
        List<MetricFamily> selected = names.isEmpty()
                ? families
                : families.stream().filter(f -> selected(f, names)).toList();
        boolean openMetrics = wantsOpenMetrics(ex.getRequestHeaders().getFirst("Accept"));
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        boolean gzip = acceptsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
        try (OutputStream out = gzip ? new FastGzip(body) : body) {
            if (openMetrics) {
                OpenMetricsTextFormatWriter.create().write(out, Snapshots.of(selected, n -> true));
            } else {
                TextFormat.write(selected, out);
            }
        }
        ex.getResponseHeaders().set("Content-Type", openMetrics ? OPENMETRICS_TYPE : TextFormat.CONTENT_TYPE);
        if (gzip) {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.getResponseHeaders().add("Vary", "Accept, Accept-Encoding");
        Responses.sendBytes(ex, 200, body.toByteArray());
    }
}
