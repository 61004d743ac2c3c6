package io.pgmetrics.exporter;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ConfigLoader;
import io.pgmetrics.exporter.config.ConfigSource;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.KnownCollectors;
import io.pgmetrics.exporter.config.Layers;
import io.pgmetrics.exporter.config.Setting;
import io.pgmetrics.exporter.logging.Logging;
import io.pgmetrics.exporter.logging.Redaction;
import io.pgmetrics.exporter.scrape.Catalogs;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone exporter's command line: postgres_exporter's flags and environment variables, and
 * ours. Exit codes: 0 after --help, --version, --dumpmaps or a clean --dry-run; 1 when the exporter
 * cannot run (port in use) or --dry-run found an error; 2 for a configuration mistake, reported in
 * one line. The only place that calls System.exit.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) {
        refuseTlsRenegotiation();
        int code = run(args, System.getenv(), System.out, System.err, true);
        System.exit(code);
    }

    /**
     * Client-initiated TLS renegotiation lets one connection make the server repeat its most expensive
     * step at will. The JDK allows it (TLS 1.2) unless this JVM-wide property says otherwise: set here, in
     * the exporter's own JVM, before any TLS class loads; a value given with -D is left alone. (In the java
     * agent the host application's JVM decides.)
     */
    static void refuseTlsRenegotiation() {
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    /**
     * Parses, configures and (when {@code serve}) runs until the process is stopped.
     *
     * @return the exit code
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean serve) {
        Catalog builtin;
        try {
            builtin = Catalogs.builtin();
        } catch (RuntimeException e) {
            err.println("pgmetrics-exporter: the built-in catalog cannot be loaded: " + e.getMessage());
            return FAILED;
        }
        List<Setting> collectorSettings = KnownCollectors.settings(builtin);
        List<Setting> settings = new ArrayList<>(Setting.STANDARD);
        settings.addAll(collectorSettings);
        CommandLine.Parsed parsed;
        try {
            parsed = new CommandLine(settings).parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("pgmetrics-exporter: " + oneLine(e.getMessage()) + " (see --help)");
            return USAGE;
        }
        if (parsed.help()) {
            HelpText.print(settings, out);
            return OK;
        }
        if (parsed.version()) {
            out.println(BuildInfo.versionLine());
            return OK;
        }
        Map<String, List<String>> flags = parsed.values();
        List<String> notes = new ArrayList<>();
        ConfigLoader loader = new ConfigLoader(flags, env, collectorSettings, notes::add);
        ExporterConfig config;
        Layers layers;
        try {
            layers = loader.layers();
            config = loader.read(layers);
            Logging.configure(config.log().level(), config.log().format());
        } catch (ConfigException e) {
            err.println("pgmetrics-exporter: " + oneLine(Redaction.redact(e.getMessage())));
            return USAGE;
        }
        notes.forEach(n -> LOG.log(System.Logger.Level.WARNING, n));
        try {
            if (layers.bool(Setting.DUMPMAPS)) {
                return DryRun.dumpMaps(config, out);
            }
            if (layers.bool(Setting.DRY_RUN)) {
                return DryRun.run(config, out);
            }
        } catch (ConfigException e) {
            err.println("pgmetrics-exporter: " + oneLine(Redaction.redact(e.getMessage())));
            return USAGE;
        }
        if (!serve) {
            return OK;
        }
        return serve(config, loader, err);
    }

    private static int serve(ExporterConfig config, ConfigSource reloads, PrintStream err) {
        Exporter exporter;
        try {
            exporter = Exporter.start(config, reloads);
        } catch (ConfigException e) {
            err.println("pgmetrics-exporter: " + oneLine(Redaction.redact(e.getMessage())));
            return USAGE;
        } catch (IOException e) {
            err.println(
                    "pgmetrics-exporter: cannot listen on " + config.http().listenAddresses() + ": " + e.getMessage());
            return FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            // written directly: java.util.logging's own shutdown hook may already have removed its
                            // handlers
                            err.print(Logging.format(
                                    java.util.logging.Level.INFO, Main.class.getName(), "shutting down"));
                            exporter.close();
                            err.print(Logging.format(
                                    java.util.logging.Level.INFO, Main.class.getName(), "stopped; exiting"));
                            err.flush();
                            stopped.countDown();
                        },
                        "pgmetrics-shutdown"));
        Signals.onHangup(() -> {
            try {
                exporter.reload();
            } catch (ConfigException e) {
                // already logged and counted by the exporter; the previous configuration keeps serving
            }
        });
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    /** A message that quotes what the user typed stays one line: control characters become '?'. */
    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\p{Cntrl}", "?");
    }
}
