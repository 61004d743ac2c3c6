package io.pgmetrics.bench;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.connect.DataSourceConnectionSource;
import io.pgmetrics.core.internal.engine.FamilySet;
import io.pgmetrics.core.publish.PrometheusCollector;
import io.pgmetrics.core.publish.TextFormat;
import io.pgmetrics.core.sample.Labels;
import io.pgmetrics.core.sample.MetricFamily;
import io.pgmetrics.core.sample.MetricType;
import io.pgmetrics.core.sample.Sample;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import javax.sql.PooledConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The hot path of a scrape after the database has answered, through the public API only:
 *
 * <ul>
 *   <li>{@code collectCached}: {@link PgMetrics#collect()} of one query whose rows are cached
 *       (TTL): rows → samples, de-duplication and self-metrics, plus two short round trips the
 *       engine always makes (the up check and the server facts);
 *   <li>{@code collectCachedOneRow}: the same with one row, i.e. those fixed round trips alone;
 *   <li>{@code textFormat}: samples → the text exposition, as the exporter writes it;
 *   <li>{@code toSnapshots}: samples → client_java snapshots (the embedding path, and OpenMetrics);
 *   <li>{@code joinOneTarget}: one target's families and the exporter's own → one response's families, as
 *       the exporter joins them for /metrics and /probe ({@link FamilySet#merge}: the target's families are
 *       taken as they are); {@code joinOneTargetSeriesBySeries}: the same by adding every series to one
 *       {@link FamilySet} again, as /probe and several targets did before;
 *   <li>{@code joinTwoTargets}, {@code joinTwoTargetsSeriesBySeries}: the same for two targets, whose families
 *       share every name, so both merge them series by series.
 * </ul>
 * The rows come from a real PostgreSQL (generate_series), {@code rows} rows of 3 labels and 10
 * values: {@code 10 × rows} samples.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBenchmark {

    @Param({"1000", "10000"})
    public int rows;

    private BenchServer postgres;
    private PooledConnection physical;
    private PgMetrics large;
    private PgMetrics oneRow;
    private List<MetricFamily> families;
    private PrometheusCollector collector;
    private List<MetricFamily> secondTarget;
    private List<MetricFamily> own;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        postgres = BenchServer.start(
                15,
                BenchServer.binariesDirectory(),
                Files.createTempDirectory("pgmetrics-jmh"),
                20,
                BenchServer.Auth.TRUST);
        PGConnectionPoolDataSource pool = new PGConnectionPoolDataSource();
        pool.setUrl("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres");
        pool.setUser("postgres");
        physical = pool.getPooledConnection();
        DataSource one = new OneConnection(physical);
        large = PgMetrics.builder()
                .connectionSource(new DataSourceConnectionSource(one, "bench"), false)
                .catalog(catalog(rows))
                .profile(NamingProfile.COMPAT)
                .build();
        oneRow = PgMetrics.builder()
                .connectionSource(new DataSourceConnectionSource(one, "bench"), false)
                .catalog(catalog(1))
                .profile(NamingProfile.COMPAT)
                .build();
        CollectionResult first = large.collect(Duration.ofSeconds(60));
        if (!first.failures().isEmpty()) {
            throw new IllegalStateException("the benchmark query failed: " + first.failures());
        }
        oneRow.collect(Duration.ofSeconds(60));
        families = first.families();
        collector = new PrometheusCollector(() -> first);
        secondTarget = families.stream()
                .map(f -> new MetricFamily(f.name(), f.type(), f.help(), f.unit(), otherServer(f.samples())))
                .toList();
        FamilySet self = new FamilySet();
        for (int i = 0; i < 20; i++) {
            self.add("pg_exporter_meta_" + i, MetricType.GAUGE, "meta " + i, Labels.EMPTY, i);
        }
        own = self.build();
        long samples = families.stream().mapToLong(f -> f.samples().size()).sum();
        System.out.println("\n" + families.size() + " families, " + samples + " samples");
    }

    /** One query, cached for an hour: after the first collection its rows are mapped again every time. */
    static Catalog catalog(int rows) {
        StringBuilder columns = new StringBuilder(
                "      - {name: datname, usage: LABEL}\n      - {name: schemaname, usage: LABEL}\n      - {name: relname, usage: LABEL}\n");
        StringBuilder select =
                new StringBuilder("'db_' || (g % 50) AS datname, 'public' AS schemaname, 'table_' || g AS relname");
        for (int i = 0; i < 10; i++) {
            boolean counter = i % 2 == 0;
            columns.append("      - {name: v")
                    .append(i)
                    .append(", usage: ")
                    .append(counter ? "COUNTER" : "GAUGE")
                    .append(", help: \"value ")
                    .append(i)
                    .append("\"}\n");
            select.append(", (g * ")
                    .append(i + 1)
                    .append(counter ? ")::bigint" : ")::float8 / 7")
                    .append(" AS v")
                    .append(i);
        }
        String yaml = "queries:\n"
                + "  - name: bench_rows\n"
                + "    help: Synthetic rows for the hot-path benchmark.\n"
                + "    ttl: 1h\n"
                + "    max_rows: " + Math.max(rows, 1) + "\n"
                + "    sql: SELECT " + select + " FROM generate_series(1, " + rows + ") g\n"
                + "    columns:\n" + columns;
        return CatalogYaml.read(yaml, "benchmark");
    }

    @Benchmark
    public CollectionResult collectCached() {
        return large.collect(Duration.ofSeconds(60));
    }

    @Benchmark
    public CollectionResult collectCachedOneRow() {
        return oneRow.collect(Duration.ofSeconds(60));
    }

    @Benchmark
    public int textFormat() throws IOException {
        body.reset();
        TextFormat.write(families, body); // as the exporter writes it: bytes, its own buffer
        return body.size();
    }

    @Benchmark
    public MetricSnapshots toSnapshots() {
        return collector.collect();
    }

    @Benchmark
    public List<MetricFamily> joinOneTarget() {
        return FamilySet.merge(List.of(families, own));
    }

    @Benchmark
    public List<MetricFamily> joinOneTargetSeriesBySeries() {
        FamilySet out = new FamilySet();
        families.forEach(out::addAll);
        own.forEach(out::addAll);
        return out.build();
    }

    @Benchmark
    public List<MetricFamily> joinTwoTargets() {
        return FamilySet.merge(List.of(families, secondTarget, own));
    }

    @Benchmark
    public List<MetricFamily> joinTwoTargetsSeriesBySeries() {
        FamilySet out = new FamilySet();
        families.forEach(out::addAll);
        secondTarget.forEach(out::addAll);
        own.forEach(out::addAll);
        return out.build();
    }

    /** The same series as a second target's: a server label tells them apart, as the exporter's rules add it. */
    private static List<Sample> otherServer(List<Sample> samples) {
        return samples.stream()
                .map(s -> new Sample(s.suffix(), s.labels().with("server", "second:5432"), s.value()))
                .toList();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        large.close();
        oneRow.close();
        physical.close();
        postgres.close();
    }

    /**
     * A DataSource over one physical connection: pgjdbc's PooledConnection hands out handles whose
     * close() keeps the physical connection open, so no benchmark iteration pays for a connect.
     */
    static final class OneConnection implements DataSource {
        private final PooledConnection physical;

        OneConnection(PooledConnection physical) {
            this.physical = physical;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return physical.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // not used
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // not used
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
