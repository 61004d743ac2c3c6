package io.pgmetrics.core.publish;

import io.pgmetrics.core.CollectionResult;
import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the bridge tests share: a real server with two databases, a catalog of a few queries whose
 * answers the tests can check with SQL of their own, and a collection supplier that counts its calls.
 */
final class BridgeDatabase implements AutoCloseable {

    /** Sizes and commit counts of each database, and the rows of a table the tests change. */
    static final String CATALOG = """
            queries:
              - name: pg_database
                help: Databases of the server.
                sql: SELECT datname, pg_database_size(oid) AS size_bytes FROM pg_database WHERE datallowconn
                columns:
                  - {name: datname, usage: LABEL}
                  - {name: size_bytes, usage: GAUGE, help: Disk space used by the database.}
              - name: pg_stat_database
                sql: SELECT datname, xact_commit FROM pg_stat_database WHERE datname IS NOT NULL
                columns:
                  - {name: datname, usage: LABEL}
                  - {name: xact_commit, usage: COUNTER, help: Transactions committed.}
              - name: bridge_stock
                sql: SELECT item, quantity FROM bridge_stock
                columns:
                  - {name: item, usage: LABEL}
                  - {name: quantity, usage: GAUGE, help: Items in stock.}
            """;

    final PgServer server;
    final AtomicInteger collections = new AtomicInteger();

    BridgeDatabase() {
        server = PgServer.start(PgServer.defaultMajor());
        server.superuserSql(
                "CREATE DATABASE bridge_app",
                "CREATE DATABASE bridge_gone",
                "CREATE TABLE bridge_stock(item text PRIMARY KEY, quantity int)",
                "INSERT INTO bridge_stock VALUES ('apple', 3), ('pear', 5)",
                "GRANT SELECT ON bridge_stock TO " + PgServer.MONITOR_USER);
    }

    PgMetrics metrics() {
        Catalog catalog = CatalogYaml.read(CATALOG, "BridgeDatabase.CATALOG");
        return PgMetrics.builder().dsn(server.monitorDsn()).catalog(catalog).build();
    }

    /** {@code metrics::collect}, counting each call. */
    Supplier<CollectionResult> counting(PgMetrics metrics) {
        return () -> {
            collections.incrementAndGet();
            return metrics.collect();
        };
    }

    long databaseSize(String database) {
        return longValue("SELECT pg_database_size('" + database + "')");
    }

    long committed(String database) {
        return longValue("SELECT xact_commit FROM pg_stat_database WHERE datname = '" + database + "'");
    }

    /** Commits {@code n} transactions in {@code database} and waits until the statistics show them. */
    void commitTransactions(String database, int n) throws SQLException {
        long before = committed(database);
        try (Connection c = server.superuserConnection(database);
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                st.execute("SELECT 1");
                c.commit();
            }
        }
        // a backend reports its statistics when it ends (or after at most a second of idleness)
        await(() -> committed(database) >= before + n, "pg_stat_database shows the commits of " + database);
    }

    private long longValue(String sql) {
        try (Connection c = server.superuserConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            pause(Duration.ofMillis(50));
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
