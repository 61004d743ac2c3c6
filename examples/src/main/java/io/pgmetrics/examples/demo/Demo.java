package io.pgmetrics.examples.demo;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.HttpSettings;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * pgmetrics in one command: a real PostgreSQL with a small live workload, and the exporter in front
 * of it on port 9187, until Ctrl-C. From the repository root:
 *
 * <pre>mvn -q -Pdemo -pl examples -am package -DskipTests</pre>
 *
 * <p>Another port: {@code --port 9188}, or the environment variable {@code PGMETRICS_DEMO_PORT}.
 * The exporter listens on the loopback interface only.
 */
public final class Demo implements AutoCloseable {

    /** postgres_exporter's port, where dashboards and scrape configs expect an exporter. */
    public static final int DEFAULT_PORT = HttpSettings.DEFAULT_PORT;

    static final String PORT_VARIABLE = "PGMETRICS_DEMO_PORT";

    /** Collectors postgres_exporter leaves off that make the demo more telling. */
    private static final Map<String, Boolean> EXTRA_COLLECTORS = Map.of(
            "stat_statements",
            true,
            "long_running_transactions",
            true,
            "stat_checkpointer",
            true,
            "database_wraparound",
            true,
            "stat_user_indexes",
            true,
            "postmaster",
            true);

    private final DemoDatabase database;
    private final Workload workload;
    private final Exporter exporter;
    private final Path businessMetrics;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private Demo(DemoDatabase database, Workload workload, Exporter exporter, Path businessMetrics) {
        this.database = database;
        this.workload = workload;
        this.exporter = exporter;
        this.businessMetrics = businessMetrics;
    }

    /** Thrown when the exporter's port is taken; the message says what to do. */
    public static final class PortInUseException extends IOException {
        private static final long serialVersionUID = 1L;

        PortInUseException(int port) {
            super("port " + port + " is already in use (another exporter, or a demo still running?). "
                    + "Stop that, or choose another port: --port " + (port + 1) + ", or " + PORT_VARIABLE + "="
                    + (port + 1));
        }
    }

    /**
     * Starts PostgreSQL, the workload and the exporter on {@code port} of the loopback interface
     * (0: any free port, see {@link #port()}).
     *
     * @throws PortInUseException before anything is started, when the port is taken
     */
    public static Demo start(int port) throws IOException, SQLException, ConfigException {
        // the port first: a taken port should cost the user a second, not a database start
        ensureFree(port);
        Path businessMetrics = copyOfResource("/io/pgmetrics/examples/custom/business-metrics.yaml");
        DemoDatabase database = null;
        Workload workload = null;
        try {
            database = DemoDatabase.start(0);
            workload = new Workload(database.appDataSource("shop"), database.appDataSource("analytics")).start();
            ExporterConfig config = ExporterConfig.builder()
                    .listenAddresses(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                    .target(database.monitorDsn())
                    .collectors(EXTRA_COLLECTORS)
                    .catalogFiles(List.of(businessMetrics))
                    .build();
            Exporter exporter;
            try {
                exporter = Exporter.start(config);
            } catch (BindException e) {
                throw new PortInUseException(port);
            }
            return new Demo(database, workload, exporter, businessMetrics);
        } catch (IOException | SQLException | ConfigException | RuntimeException e) {
            if (workload != null) {
                workload.close();
            }
            if (database != null) {
                database.close();
            }
            Files.deleteIfExists(businessMetrics);
            throw e;
        }
    }

    private static void ensureFree(int port) throws PortInUseException {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new PortInUseException(port);
        }
    }

    /** The exporter reads query files from disk; the demo's come from the classpath. */
    private static Path copyOfResource(String resource) throws IOException {
        Path file = Files.createTempFile("pgmetrics-demo-", ".yaml");
        try (InputStream in = Demo.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing from the classpath");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** The port the exporter listens on. */
    public int port() {
        return exporter.port();
    }

    public URI metricsUrl() {
        return URI.create("http://localhost:" + port() + "/metrics");
    }

    /** A JDBC URL of the demo's shop database (application role, credentials included) for the other examples. */
    public String shopJdbcUrl() {
        return database.appJdbcUrl("shop");
    }

    /** The port of the demo's PostgreSQL. */
    public int databasePort() {
        return database.port();
    }

    /** The connection string the exporter uses, for trying other exporters against the same server. */
    public String monitorDsn() {
        return database.monitorDsn();
    }

    /** Stops the exporter, the workload and PostgreSQL, in that order. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            quietly(exporter::close);
            quietly(workload::close);
            // PostgreSQL may be stopping already (Ctrl-C reaches it too); then there is nothing left to do
            quietly(database::close);
            quietly(() -> Files.deleteIfExists(businessMetrics));
        } finally {
            closed.countDown();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            System.getLogger(Demo.class.getName()).log(System.Logger.Level.DEBUG, "while stopping: " + e);
        }
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    private void printWelcome(PrintStream out) {
        String metrics = metricsUrl().toString();
        out.println();
        out.println("  pgmetrics demo: a real PostgreSQL with a live workload, and the exporter in front of it.");
        out.println();
        out.println("    metrics        " + metrics);
        out.println("    landing page   http://localhost:" + port() + "/");
        out.println(
                "    try            curl -s " + metrics + " | grep -E '^(pg_up|pg_stat_database_xact_commit|shop_)'");
        out.println();
        out.println("    PostgreSQL     " + monitorDsn() + "   (pg_monitor role)");
        out.println("    shop database  " + shopJdbcUrl());
        out.println("                   (the embedding examples take this URL: see examples/README.md)");
        out.println();
        out.println("  Press Ctrl-C to stop.");
        out.println();
    }

    public static void main(String[] args) throws Exception {
        // straight to the terminal: under mvn exec:java, System.out is Maven's console stream, which
        // Maven tears down in its own shutdown hook while ours still wants to say goodbye
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        DemoLogging.configure(err);
        int port;
        try {
            port = DemoOptions.port(args, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("pgmetrics demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        out.println("pgmetrics demo: starting PostgreSQL and the exporter on port " + port + " ...");
        Demo demo;
        try {
            demo = start(port);
        } catch (PortInUseException e) {
            err.println("pgmetrics demo: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                out.println("pgmetrics demo: stopping ...");
                            } finally {
                                demo.close();
                            }
                            out.println("pgmetrics demo: stopped.");
                        },
                        "demo-shutdown"));
        demo.printWelcome(out);
        demo.awaitClose();
    }
}
