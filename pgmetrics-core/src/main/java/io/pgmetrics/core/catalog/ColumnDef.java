package io.pgmetrics.core.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One result column and how it becomes part of a metric.
 *
 * @param name the result column's name
 * @param usage what the column is
 * @param rename replaces the column name in the metric name ({@code <query>_<rename>})
 * @param metric the whole metric name, when it does not follow {@code <query>_<column>}
 * @param help the HELP text; empty means the query's help
 * @param scale a factor applied to every value (e.g. 0.001 for milliseconds to seconds)
 * @param nullValue the value exported when the column is NULL; empty means no series for that row
 * @param unit the base unit of the value after scaling ("seconds", "bytes", …), or empty
 * @param mapping text to number, for {@link Usage#MAPPEDMETRIC}
 * @param strict how the strict naming profile differs, when it does
 * @param nameFrom a column whose value (sanitised) completes the metric name per row:
 *     {@code <query>_<value>}; for views that hold one setting per row, such as pg_settings
 * @param helpFrom a column whose value is the HELP text per row (with {@code nameFrom})
 */
public record ColumnDef(
        String name,
        Usage usage,
        Optional<String> rename,
        Optional<String> metric,
        String help,
        double scale,
        Optional<Double> nullValue,
        Optional<String> unit,
        Map<String, Double> mapping,
        Optional<StrictNaming> strict,
        Optional<String> nameFrom,
        Optional<String> helpFrom) {

    /**
     * What the strict profile changes for a column whose compat name or type is wrong on purpose
     * (postgres_exporter's names kept for dashboards).
     *
     * @param metric the strict metric name (without a counter's {@code _total}; it is added), or empty to derive it
     * @param usage the strict usage (e.g. a timestamp typed as a counter becomes a gauge), or empty to keep it
     */
    public record StrictNaming(Optional<String> metric, Optional<Usage> usage) {
        public StrictNaming {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(usage, "usage");
        }
    }

    public ColumnDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(rename, "rename");
        Objects.requireNonNull(metric, "metric");
        help = help == null ? "" : help;
        Objects.requireNonNull(nullValue, "nullValue");
        Objects.requireNonNull(unit, "unit");
        mapping = Map.copyOf(new LinkedHashMap<>(mapping == null ? Map.of() : mapping));
        Objects.requireNonNull(strict, "strict");
        Objects.requireNonNull(nameFrom, "nameFrom");
        Objects.requireNonNull(helpFrom, "helpFrom");
    }

    public static Builder builder(String name, Usage usage) {
        return new Builder(name, usage);
    }

    public static ColumnDef label(String name) {
        return builder(name, Usage.LABEL).build();
    }

    public static ColumnDef gauge(String name, String help) {
        return builder(name, Usage.GAUGE).help(help).build();
    }

    public static ColumnDef counter(String name, String help) {
        return builder(name, Usage.COUNTER).help(help).build();
    }

    /** The usage under the given profile. */
    public Usage usage(NamingProfile profile) {
        return profile == NamingProfile.STRICT
                ? strict.flatMap(StrictNaming::usage).orElse(usage)
                : usage;
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, usage).help(help).scale(scale);
        rename.ifPresent(b::rename);
        metric.ifPresent(b::metric);
        nullValue.ifPresent(b::nullValue);
        unit.ifPresent(b::unit);
        b.mapping(mapping);
        strict.ifPresent(s -> b.strict(s.metric().orElse(null), s.usage().orElse(null)));
        nameFrom.ifPresent(b::nameFrom);
        helpFrom.ifPresent(b::helpFrom);
        return b;
    }

    /** Builds a column; {@link QueryDef.Builder#build()} validates it with its query. */
    public static final class Builder {
        private final String name;
        private final Usage usage;
        private String rename;
        private String metric;
        private String help = "";
        private double scale = 1.0;
        private Double nullValue;
        private String unit;
        private Map<String, Double> mapping = Map.of();
        private StrictNaming strict;
        private String nameFrom;
        private String helpFrom;

        private Builder(String name, Usage usage) {
            this.name = name;
            this.usage = usage;
        }

        public Builder rename(String rename) {
            this.rename = rename;
            return this;
        }

        public Builder metric(String metric) {
            this.metric = metric;
            return this;
        }

        public Builder help(String help) {
            this.help = help;
            return this;
        }

        public Builder scale(double scale) {
            this.scale = scale;
            return this;
        }

        public Builder nullValue(double value) {
            this.nullValue = value;
            return this;
        }

        public Builder unit(String unit) {
            this.unit = unit;
            return this;
        }

        public Builder mapping(Map<String, Double> mapping) {
            this.mapping = mapping;
            return this;
        }

        /** Strict-profile overrides; either argument may be null. */
        public Builder strict(String metric, Usage usage) {
            this.strict = metric == null && usage == null
                    ? null
                    : new StrictNaming(Optional.ofNullable(metric), Optional.ofNullable(usage));
            return this;
        }

        public Builder nameFrom(String column) {
            this.nameFrom = column;
            return this;
        }

        public Builder helpFrom(String column) {
            this.helpFrom = column;
            return this;
        }

        public ColumnDef build() {
            return new ColumnDef(
                    name,
                    usage,
                    Optional.ofNullable(rename),
                    Optional.ofNullable(metric),
                    help,
                    scale,
                    Optional.ofNullable(nullValue),
                    Optional.ofNullable(unit),
                    mapping,
                    Optional.ofNullable(strict),
                    Optional.ofNullable(nameFrom),
                    Optional.ofNullable(helpFrom));
        }
    }
}
