package io.pgmetrics.core.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One catalog query: its SQL per server version, where and when it runs, and how its columns become
 * metrics. Immutable; build it with {@link #builder(String)} or load it from YAML.
 *
 * @param name the metric prefix and the query's identity
 * @param collector the switchable group the query belongs to (postgres_exporter's collector name)
 * @param help the default HELP text of its metrics
 * @param scope once per server or once per selected database
 * @param role primary only, replica only, or any
 * @param extensions extensions that must be installed for the query to run
 * @param predicate a query returning one boolean; the query runs only when it is true
 * @param ttl how long a successful result is reused; zero means every collection runs it
 * @param refreshInBackground once the ttl has passed, serve the last result and read it again after the
 *     collection (on the same connection), so no collection waits for it; the first read is waited for
 * @param timeout the query's own time limit; empty means the engine's default
 * @param maxRows rows beyond this are not read (and counted as truncated)
 * @param enabledByDefault whether the query runs unless switched on or off by configuration
 * @param databases for database scope: names or glob patterns the query is limited to; empty means every selected database
 * @param undeclaredColumns what happens to result columns not declared here
 * @param parameters values the SQL refers to as {@code ${name}}, with their defaults; configuration may
 *     override them ({@code <collector>.<name>}); they are bound as text parameters, never spliced into SQL
 * @param variants the SQL per version range; at most one applies to any version
 * @param columns the declared result columns, in any order
 */
public record QueryDef(
        String name,
        String collector,
        String help,
        Scope scope,
        ServerRole role,
        List<String> extensions,
        Optional<String> predicate,
        Duration ttl,
        boolean refreshInBackground,
        Optional<Duration> timeout,
        int maxRows,
        boolean enabledByDefault,
        List<String> databases,
        UndeclaredColumns undeclaredColumns,
        Map<String, String> parameters,
        List<Variant> variants,
        List<ColumnDef> columns) {

    public static final int DEFAULT_MAX_ROWS = 10_000;

    public QueryDef {
        Objects.requireNonNull(name, "name");
        collector = collector == null || collector.isBlank() ? name : collector;
        help = help == null ? "" : help;
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(role, "role");
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(predicate, "predicate");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(timeout, "timeout");
        databases = List.copyOf(databases);
        Objects.requireNonNull(undeclaredColumns, "undeclaredColumns");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        variants = List.copyOf(variants);
        columns = List.copyOf(columns);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The variant for a server version, if one applies. */
    public Optional<Variant> variantFor(PgVersion version) {
        return variants.stream().filter(v -> v.versions().contains(version)).findFirst();
    }

    public Optional<ColumnDef> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** The metric name a column gets under a profile ({@code _total} included for strict counters). */
    public String metricName(ColumnDef column, NamingProfile profile) {
        String compat =
                column.metric().orElseGet(() -> name + "_" + column.rename().orElse(column.name()));
        if (profile == NamingProfile.COMPAT) {
            return compat;
        }
        String strict = column.strict().flatMap(ColumnDef.StrictNaming::metric).orElse(compat);
        Optional<String> unit = column.unit();
        if (unit.isPresent() && !strict.endsWith("_" + unit.get()) && !strict.contains("_" + unit.get() + "_")) {
            strict = strict + "_" + unit.get();
        }
        if (column.usage(profile) == Usage.COUNTER && !strict.endsWith("_total")) {
            strict = strict + "_total";
        }
        return strict;
    }

    /** The HELP text of a column's metric. */
    public String helpFor(ColumnDef column) {
        return column.help().isEmpty() ? help : column.help();
    }

    public Builder toBuilder() {
        Builder b = new Builder(name)
                .collector(collector)
                .help(help)
                .scope(scope)
                .role(role)
                .extensions(extensions)
                .ttl(ttl)
                .refreshInBackground(refreshInBackground)
                .maxRows(maxRows)
                .enabledByDefault(enabledByDefault)
                .databases(databases)
                .undeclaredColumns(undeclaredColumns)
                .parameters(parameters);
        predicate.ifPresent(b::predicate);
        timeout.ifPresent(b::timeout);
        variants.forEach(v -> b.variant(v.versions(), v.sql()));
        columns.forEach(b::column);
        return b;
    }

    /** Builds a query; {@link #build()} runs the same validation as the YAML loader. */
    public static final class Builder {
        private final String name;
        private String collector;
        private String help = "";
        private Scope scope = Scope.CLUSTER;
        private ServerRole role = ServerRole.ANY;
        private List<String> extensions = List.of();
        private String predicate;
        private Duration ttl = Duration.ZERO;
        private boolean refreshInBackground;
        private Duration timeout;
        private int maxRows = DEFAULT_MAX_ROWS;
        private boolean enabledByDefault = true;
        private List<String> databases = List.of();
        private UndeclaredColumns undeclaredColumns = UndeclaredColumns.IGNORE;
        private Map<String, String> parameters = Map.of();
        private final List<Variant> variants = new ArrayList<>();
        private final List<ColumnDef> columns = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder collector(String collector) {
            this.collector = collector;
            return this;
        }

        public Builder help(String help) {
            this.help = help;
            return this;
        }

        public Builder scope(Scope scope) {
            this.scope = scope;
            return this;
        }

        public Builder role(ServerRole role) {
            this.role = role;
            return this;
        }

        public Builder extensions(List<String> extensions) {
            this.extensions = extensions;
            return this;
        }

        public Builder predicate(String predicate) {
            this.predicate = predicate;
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Once the ttl has passed, serve the last result and read it again after the collection. */
        public Builder refreshInBackground(boolean refreshInBackground) {
            this.refreshInBackground = refreshInBackground;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder maxRows(int maxRows) {
            this.maxRows = maxRows;
            return this;
        }

        public Builder enabledByDefault(boolean enabled) {
            this.enabledByDefault = enabled;
            return this;
        }

        public Builder databases(List<String> databases) {
            this.databases = databases;
            return this;
        }

        public Builder undeclaredColumns(UndeclaredColumns undeclared) {
            this.undeclaredColumns = undeclared;
            return this;
        }

        public Builder parameters(Map<String, String> parameters) {
            this.parameters = parameters;
            return this;
        }

        /** SQL for every server version. */
        public Builder sql(String sql) {
            return variant(VersionRange.ALL, sql);
        }

        public Builder variant(VersionRange versions, String sql) {
            variants.add(new Variant(versions, sql));
            return this;
        }

        public Builder column(ColumnDef column) {
            columns.add(column);
            return this;
        }

        public Builder columns(ColumnDef... columns) {
            this.columns.addAll(List.of(columns));
            return this;
        }

        /** Builds without validating: for loaders that validate a whole catalog and report every problem. */
        public QueryDef buildUnchecked() {
            return new QueryDef(
                    name,
                    collector,
                    help,
                    scope,
                    role,
                    extensions,
                    Optional.ofNullable(predicate),
                    ttl,
                    refreshInBackground,
                    Optional.ofNullable(timeout),
                    maxRows,
                    enabledByDefault,
                    databases,
                    undeclaredColumns,
                    parameters,
                    variants,
                    columns);
        }

        /**
         * Builds and validates.
         *
         * @throws CatalogException listing every problem, each naming the query and column
         */
        public QueryDef build() {
            QueryDef query = buildUnchecked();
            List<Problem> problems = CatalogValidator.check(query);
            if (!problems.isEmpty()) {
                throw new CatalogException(problems);
            }
            return query;
        }
    }
}
