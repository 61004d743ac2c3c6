package io.pgmetrics.examples.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names the exporter emits, read from a plain list or from the generated reference. */
record KnownMetricNames(String source, Set<String> names) {

    /** Series every Prometheus adds to every target itself, whatever the exporter emits. */
    static final Set<String> PROMETHEUS_SYNTHETIC = Set.of(
            "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
            "scrape_series_added");

    private static final Pattern BACKTICKED_NAME =
            Pattern.compile("`((?:pg|pgmetrics|postgres_exporter)_[a-zA-Z0-9_:]*)`");

    /** A classpath resource with one name per line; '#' starts a comment. */
    static KnownMetricNames fromNameList(String resource) {
        try (InputStream in = KnownMetricNames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            Set<String> names = new TreeSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.replaceFirst("#.*", "").trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return new KnownMetricNames(resource, names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The catalog's generated reference (docs/metrics.md): every back-quoted name that starts with
     * pg_, pgmetrics_ or postgres_exporter_ counts as emitted.
     */
    static KnownMetricNames fromMetricsReference(Path markdown) {
        Set<String> names = new TreeSet<>();
        Matcher m = BACKTICKED_NAME.matcher(DeployAssets.read(markdown));
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no metric names found in " + markdown);
        }
        return new KnownMetricNames(markdown.toString(), names);
    }

    boolean contains(String name) {
        return names.contains(name) || PROMETHEUS_SYNTHETIC.contains(name);
    }
}
