package io.pgmetrics.examples.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The metric names the exporter emits under the compat profile (the default, which every deploy
 * asset uses), read from the catalog's generated reference (docs/metrics.md) plus names the
 * reference leaves out on purpose, each with the reason.
 *
 * @param source where the names come from, for assertion messages
 * @param names exact names: the reference's compat column, histograms expanded to their series
 * @param patterns the reference's pattern rows such as {@code pg_settings_<parameter>}, as given
 * @param extra names that are not in the reference, with why (name -> reason)
 */
record KnownMetricNames(String source, Set<String> names, Set<String> patterns, Map<String, String> extra) {

    /** Series every Prometheus adds to every target itself, whatever the exporter emits. */
    static final Set<String> PROMETHEUS_SYNTHETIC = Set.of(
            "up",
            "scrape_duration_seconds",
            "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling",
            "scrape_series_added");

    /** The header of the per-collector tables; the compat name is the first column, the types the third. */
    private static final String TABLE_HEADER = "| metric (compat) | metric (strict) | type (compat / strict) |";

    private static final Pattern CELL_NAME = Pattern.compile("`([a-zA-Z_:][a-zA-Z0-9_:<>]*)`");

    /**
     * Reads every metric row of the reference's tables. A row's compat cell is a back-quoted name, a
     * pattern such as {@code `pg_settings_<parameter>`}, or a dash (strict only, skipped). A histogram
     * stands for its _bucket, _sum and _count series, a summary for its _sum and _count and itself.
     */
    static KnownMetricNames fromMetricsReference(Path markdown) {
        Set<String> names = new TreeSet<>();
        Set<String> patterns = new TreeSet<>();
        boolean inTable = false;
        for (String line : DeployAssets.read(markdown).split("\n")) {
            if (line.startsWith(TABLE_HEADER)) {
                inTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            String compat = cells[1].trim();
            if (compat.equals("—")) {
                continue;
            }
            var m = CELL_NAME.matcher(compat);
            if (!m.matches()) {
                throw new IllegalStateException(markdown + ": unexpected metric cell " + compat + " in line: " + line);
            }
            String name = m.group(1);
            if (name.contains("<")) {
                patterns.add(name);
                continue;
            }
            String type = cells[3].trim().split("\\s*/\\s*")[0];
            names.addAll(series(name, type));
        }
        if (names.size() < 100) {
            throw new IllegalStateException("only " + names.size() + " metric names found in " + markdown
                    + "; has the format of the table header changed? Expected a header starting " + TABLE_HEADER);
        }
        return new KnownMetricNames(markdown.toString(), names, patterns, Map.of());
    }

    private static List<String> series(String name, String type) {
        List<String> out = new ArrayList<>();
        switch (type) {
            case "histogram" -> List.of("_bucket", "_sum", "_count").forEach(s -> out.add(name + s));
            case "summary" -> {
                out.add(name);
                out.add(name + "_sum");
                out.add(name + "_count");
            }
            default -> out.add(name);
        }
        return out;
    }

    /** These names and the reason each one is missing from the reference. */
    KnownMetricNames plus(Map<String, String> namesWithReasons) {
        Map<String, String> all = new TreeMap<>(extra);
        all.putAll(namesWithReasons);
        return new KnownMetricNames(source + " and the test's own list", names, patterns, all);
    }

    /** Whether a name fits a pattern row: {@code pg_settings_<parameter>} takes pg_settings_ and a lower-case name. */
    boolean matchesPattern(String name) {
        return patterns.stream()
                .anyMatch(p -> name.matches(Pattern.quote(p.substring(0, p.indexOf('<'))) + "[a-z0-9_]+"
                        + Pattern.quote(p.substring(p.indexOf('>') + 1))));
    }

    boolean contains(String name) {
        return names.contains(name) || extra.containsKey(name) || PROMETHEUS_SYNTHETIC.contains(name);
    }
}
