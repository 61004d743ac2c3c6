package io.pgmetrics.bench;

import java.util.List;

/** Scrape durations in milliseconds, summarised. */
record Latencies(int count, double median, double p99, double max, int failures) {

    static Latencies of(List<Double> millis, int failures) {
        double[] v = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, failures);
        }
        return new Latencies(v.length, percentile(v, 50), percentile(v, 99), v[v.length - 1], failures);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return String.format(
                "median %.1f ms, p99 %.1f ms (n=%d%s)",
                median, p99, count, failures > 0 ? ", " + failures + " failed" : "");
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format("%.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }
}
