package io.pgmetrics.exporter.http;

import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The legacy engine's rules for its namespaces (custom queries of --extend.query-path and the
 * built-in pg_stat_database_conflicts): every series carries {@code server="host:port"}, and
 * {@code --metric-prefix} replaces a leading {@code pg} of the name. Unlike postgres_exporter, only a
 * leading {@code pg_} is replaced (not the first "pg" anywhere, #629), and the query keeps running.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class OutputRules {

    private final List<String> namespaces;
    private final List<String> prefixed;
    private final Set<String> plainFamilies;
    private final String prefix;

    /**
     * @param serverLabeled namespaces whose series get the server label
     * @param prefixed namespaces whose names --metric-prefix changes
     * @param plainFamilies families of other queries that these rules leave alone, though named like a namespace
     */
    public OutputRules(
            Set<String> serverLabeled, Set<String> prefixed, Set<String> plainFamilies, String metricPrefix) {
        this.namespaces = longestFirst(serverLabeled);
        this.prefixed = longestFirst(prefixed);
        this.plainFamilies = Set.copyOf(plainFamilies);
        this.prefix = metricPrefix;
    }

    private static List<String> longestFirst(Set<String> names) {
        List<String> ns = new ArrayList<>(names);
        ns.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(ns);
    }

    private boolean legacy(String family) {
        return in(namespaces, family) && !plainFamilies.contains(family);
    }

    private static boolean in(List<String> namespaces, String family) {
        for (String ns : namespaces) {
            // without ns + "_": that made a string per family and namespace at every scrape
            if (family.startsWith(ns) && (family.length() == ns.length() || family.charAt(ns.length()) == '_')) {
                return true;
            }
        }
        return false;
    }

    /** The families of one target with the legacy rules applied. */
    public List<MetricFamily> apply(List<MetricFamily> families, String server) {
        if (namespaces.isEmpty()) {
            return families;
        }
        List<MetricFamily> out = new ArrayList<>(families.size());
        for (MetricFamily f : families) {
            if (!legacy(f.name())) {
                out.add(f);
                continue;
            }
            String name = !prefix.equals("pg") && f.name().startsWith("pg_") && in(prefixed, f.name())
                    ? prefix + f.name().substring(2)
                    : f.name();
            List<Sample> samples = new ArrayList<>(f.samples().size());
            for (Sample s : f.samples()) {
                samples.add(
                        s.labels().get("server").isPresent()
                                ? s
                                : new Sample(s.suffix(), s.labels().with("server", server), s.value()));
            }
            // postgres_exporter exposes its info-style pg_static as untyped
            MetricType type = name.equals("pg_static") && f.type() == MetricType.GAUGE ? MetricType.UNTYPED : f.type();
            out.add(new MetricFamily(name, type, f.help(), f.unit(), samples));
        }
        return out;
    }
}
