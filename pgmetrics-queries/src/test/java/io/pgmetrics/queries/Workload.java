package io.pgmetrics.queries;

import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

/**
 * A little of everything the catalog reads, set up as the superuser: a second database with tables
 * in two schemas, indexes (one of them invalid), a vacuum and an analyze, replication slots of
 * both kinds, a publication and a (disconnected) subscription, pg_buffercache, statement traffic,
 * and max_slot_wal_keep_size so that slots report their safe WAL size.
 */
final class Workload {

    static final String APP_DB = "appdb";

    private Workload() {}

    static void apply(PgServer server) {
        server.superuserSql(
                "CREATE DATABASE " + APP_DB,
                "CREATE EXTENSION IF NOT EXISTS pg_buffercache",
                "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'",
                "SELECT pg_reload_conf()",
                "SELECT pg_create_physical_replication_slot('pgm_physical', true)");
        server.superuserSqlIn(
                APP_DB,
                "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
                "CREATE SCHEMA s2",
                "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                "CREATE TABLE s2.items (id int PRIMARY KEY, v text)",
                "CREATE INDEX items_v ON public.items (v)",
                "INSERT INTO public.items SELECT g, repeat('x', 300) FROM generate_series(1, 3000) g",
                "INSERT INTO s2.items SELECT g, 'y' FROM generate_series(1, 100) g",
                "UPDATE public.items SET v = 'z' WHERE id % 7 = 0",
                "DELETE FROM public.items WHERE id % 10 = 0",
                "VACUUM ANALYZE public.items",
                "ANALYZE s2.items",
                "SET enable_seqscan = off",
                "SELECT count(*) FROM public.items WHERE v = 'z'",
                "CREATE TABLE dups (x int)",
                "INSERT INTO dups VALUES (1), (1)",
                "SELECT pg_create_logical_replication_slot('pgm_logical', 'test_decoding')",
                "CREATE PUBLICATION pgm_pub FOR TABLE public.items",
                "CREATE SUBSCRIPTION pgm_sub CONNECTION 'host=localhost port=" + server.port() + " dbname=" + APP_DB
                        + " user=postgres' PUBLICATION pgm_pub WITH (connect = false)");
        // a failed CREATE INDEX CONCURRENTLY leaves an invalid index behind
        try (Connection c = server.superuserConnection(APP_DB);
                Statement st = c.createStatement()) {
            st.execute("CREATE UNIQUE INDEX CONCURRENTLY dups_x ON dups (x)");
            throw new IllegalStateException("the unique index on duplicate values was built");
        } catch (SQLException expected) {
            // 23505: could not create unique index
        }
        server.superuserSql(
                "SELECT count(*) FROM pg_class",
                "SELECT relname FROM pg_class WHERE relname LIKE 'pg_%' ORDER BY 1 LIMIT 3",
                "CHECKPOINT");
    }

    /**
     * A logical replication connection streaming from the workload's logical slot: it gives
     * pg_stat_replication a WAL sender and makes the slot active. Close it to end the stream.
     */
    static AutoCloseable streamFromLogicalSlot(PgServer server) throws SQLException {
        Properties props = new Properties();
        PGProperty.USER.set(props, "postgres");
        PGProperty.PASSWORD.set(props, "postgres");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.APPLICATION_NAME.set(props, "pgm_stream");
        Connection c = DriverManager.getConnection(server.jdbcUrl(APP_DB), props);
        PGReplicationStream stream = c.unwrap(PGConnection.class)
                .getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName("pgm_logical")
                .withStatusInterval(1, TimeUnit.SECONDS)
                .start();
        // a change to decode, confirmed back so that the sender knows the client's positions
        server.superuserSqlIn(APP_DB, "INSERT INTO public.items VALUES (100000, 'streamed')");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stream.readPending() == null && System.nanoTime() < deadline) {
            sleep(20);
        }
        stream.setAppliedLSN(stream.getLastReceiveLSN());
        stream.setFlushedLSN(stream.getLastReceiveLSN());
        stream.forceUpdateStatus();
        try (Connection su = server.superuserConnection();
                Statement st = su.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (var rs =
                        st.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE replay_lsn IS NOT NULL")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        break;
                    }
                }
                stream.forceUpdateStatus();
                sleep(50);
            }
        }
        return () -> {
            try (c) {
                stream.close();
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
