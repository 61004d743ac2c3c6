package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.QueryOutcome;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's own metrics, kept across collections (counters) and written into each one.
 *
 * <p>Names pass the Prometheus naming rules in both profiles. {@code pg_up} and
 * {@code pg_scrape_collector_*} keep postgres_exporter's names; the rest are ours.
 */
final class SelfMetrics {

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> cacheHits = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> truncated = new ConcurrentHashMap<>();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder overLimit = new LongAdder();
    private final LongAdder collections = new LongAdder();

    void write(
            FamilySet out,
            Labels base,
            boolean up,
            boolean ran,
            List<QueryDef> due,
            List<QueryOutcome> outcomes,
            int duplicatesThisRun,
            int overLimitThisRun,
            Map<String, Double> databaseAges,
            double seconds) {
        collections.increment();
        duplicates.add(duplicatesThisRun);
        overLimit.add(overLimitThisRun);
        out.add(
                "pg_up",
                MetricType.GAUGE,
                "Whether the server answered on the kept connection and accepted"
                        + " the last new login (1) or not (0).",
                base,
                up ? 1 : 0);

        Map<String, double[]> perQuery = new LinkedHashMap<>(); // duration, success, rows
        Map<String, double[]> perCollector = new LinkedHashMap<>(); // duration, success
        for (QueryDef q : due) {
            perQuery.put(q.name(), new double[] {0, ran ? 1 : 0, 0});
            perCollector.put(q.collector(), new double[] {0, ran ? 1 : 0});
        }
        for (QueryOutcome o : outcomes) {
            double[] q = perQuery.computeIfAbsent(o.query(), k -> new double[] {0, 1, 0});
            double[] c = perCollector.computeIfAbsent(o.collector(), k -> new double[] {0, 1});
            double d = o.duration().toNanos() / 1e9;
            q[0] += d;
            c[0] += d;
            q[2] += o.rows();
            if (o.failed()) {
                q[1] = 0;
                c[1] = 0;
                errors.computeIfAbsent(o.query(), k -> new LongAdder()).increment();
            }
            if (o.cached()) {
                cacheHits.computeIfAbsent(o.query(), k -> new LongAdder()).increment();
            }
            if (o.truncated()) {
                truncated.computeIfAbsent(o.query(), k -> new LongAdder()).increment();
            }
        }
        perCollector.forEach((name, v) -> {
            Labels l = base.with("collector", name);
            out.add(
                    "pg_scrape_collector_duration_seconds",
                    MetricType.GAUGE,
                    "Duration of a collector scrape.",
                    l,
                    v[0]);
            out.add("pg_scrape_collector_success", MetricType.GAUGE, "Whether a collector succeeded.", l, v[1]);
        });
        perQuery.forEach((name, v) -> {
            Labels l = base.with("query", name);
            out.add(
                    "pgmetrics_query_duration_seconds",
                    MetricType.GAUGE,
                    "Time the query took in the last collection, all databases together.",
                    l,
                    v[0]);
            out.add(
                    "pgmetrics_query_success",
                    MetricType.GAUGE,
                    "Whether the query succeeded in the last collection (in every database).",
                    l,
                    v[1]);
            out.add(
                    "pgmetrics_query_rows",
                    MetricType.GAUGE,
                    "Rows the query returned in the last collection.",
                    l,
                    v[2]);
            out.add(
                    "pgmetrics_query_errors_total",
                    MetricType.COUNTER,
                    "Failed or timed-out runs of the query.",
                    l,
                    count(errors, name));
            out.add(
                    "pgmetrics_query_cache_hits_total",
                    MetricType.COUNTER,
                    "Collections served from the query's cached result.",
                    l,
                    count(cacheHits, name));
            out.add(
                    "pgmetrics_query_truncated_total",
                    MetricType.COUNTER,
                    "Runs whose rows were cut at max_rows.",
                    l,
                    count(truncated, name));
        });
        out.add(
                "pgmetrics_series_dropped_total",
                MetricType.COUNTER,
                "Series dropped because another series had the same name and labels.",
                base,
                duplicates.sum());
        out.add(
                "pgmetrics_series_over_limit_total",
                MetricType.COUNTER,
                "Series left out because the collection reached its series limit (max_series).",
                base,
                overLimit.sum());
        databaseAges.forEach((db, age) -> out.add(
                "pgmetrics_database_read_age_seconds",
                MetricType.GAUGE,
                "Age of the oldest rows served for the database's queries: 0 when all were read in this collection,"
                        + " more when some came from an earlier one (more databases than connections and time allow).",
                base.with("datname", db),
                age));
        out.add("pgmetrics_collections_total", MetricType.COUNTER, "Collections run.", base, collections.sum());
        out.add(
                "pgmetrics_collection_duration_seconds",
                MetricType.GAUGE,
                "Duration of the last collection.",
                base,
                seconds);
    }

    private static double count(Map<String, LongAdder> map, String key) {
        LongAdder a = map.get(key);
        return a == null ? 0 : a.sum();
    }
}
