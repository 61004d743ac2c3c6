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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

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

    /** Flags that postgres_exporter renamed or removed, and what to write instead. */
    private static final Map<String, String> RENAMED = Map.of(
            "--collector.replication_slot", "--collector.replication_slots (renamed in postgres_exporter v0.20)",
            "--no-collector.replication_slot", "--no-collector.replication_slots (renamed in postgres_exporter v0.20)",
            "--collector.bgwriter", "--collector.stat_bgwriter (renamed in postgres_exporter v0.13)",
            "--no-collector.bgwriter", "--no-collector.stat_bgwriter (renamed in postgres_exporter v0.13)");

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
        CommandLine cli = new CommandLine(spec(collectorSettings));
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("pgmetrics-exporter: " + oneLine(parseError(e, args)) + " (see --help)");
            return USAGE;
        }
        if (parsed.isUsageHelpRequested()) {
            cli.usage(out);
            return OK;
        }
        if (parsed.isVersionHelpRequested()) {
            out.println(BuildInfo.versionLine());
            return OK;
        }
        Map<String, List<String>> flags = flags(parsed);
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

    /** The command line model: every setting, plus one negatable switch per collector. */
    static CommandSpec spec(List<Setting> collectorSettings) {
        CommandSpec spec = CommandSpec.create().name("pgmetrics-exporter");
        spec.usageMessage()
                .description(
                        "Prometheus exporter for PostgreSQL server metrics; a drop-in replacement for postgres_exporter.",
                        "Precedence: flag > environment variable > --pgmetrics.config file > default.",
                        "Databases: DATA_SOURCE_NAME (comma-separated), or DATA_SOURCE_URI with DATA_SOURCE_USER/_PASS",
                        "(each also as _FILE), or POSTGRES_HOST/PORT/USER/PASSWORD(_FILE)/DB/SSLMODE, or targets in the file.")
                .width(120)
                .sortOptions(false);
        spec.usageMessage().abbreviateSynopsis(true);
        spec.parser()
                .caseInsensitiveEnumValuesAllowed(true)
                .abbreviatedOptionsAllowed(false)
                .toggleBooleanFlags(false);
        // kingpin's --no-<flag> for every boolean, dots included (picocli's default only takes word characters)
        spec.negatableOptionTransformer(new CommandLine.RegexTransformer.Builder()
                .addPattern("^--no-([\\w.-]+)$", "--$1", "--[no-]$1")
                .addPattern("^--([\\w.-]+)$", "--no-$1", "--[no-]$1")
                .build());
        spec.addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help and exit.")
                .build());
        spec.addOption(OptionSpec.builder("--version")
                .versionHelp(true)
                .description("Show the version and exit.")
                .build());
        for (Setting s : Setting.STANDARD) {
            spec.addOption(option(s));
        }
        for (Setting s : collectorSettings) {
            spec.addOption(option(s));
        }
        return spec;
    }

    private static OptionSpec option(Setting s) {
        OptionSpec.Builder b = OptionSpec.builder(s.flag());
        StringBuilder d = new StringBuilder(s.help());
        if (!s.env().isEmpty()) {
            d.append(" [env: ").append(s.env()).append(']');
        }
        if (!s.defaultValue().isEmpty()) {
            d.append(" (default: ")
                    .append(
                            s.kind() == Setting.Kind.BOOL && s.isCollector()
                                    ? (Boolean.parseBoolean(s.defaultValue()) ? "enabled" : "disabled")
                                    : s.defaultValue())
                    .append(')');
        }
        b.description(d.toString());
        switch (s.kind()) {
            case BOOL -> b.type(Boolean.class).arity("0..1").negatable(true).paramLabel("<bool>");
            case REPEATED -> b.type(String[].class).arity("1").paramLabel("<address>");
            default ->
                b.type(String.class)
                        .arity("1")
                        .paramLabel("<" + s.kind().name().toLowerCase(java.util.Locale.ROOT) + ">");
        }
        return b.build();
    }

    /** The values the command line gives, keyed by the setting's flag; booleans as "true"/"false". */
    static Map<String, List<String>> flags(ParseResult parsed) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName();
            if (name.startsWith("--no-")) {
                name = "--" + name.substring(5);
            }
            Object v = o.getValue();
            List<String> values = new ArrayList<>();
            if (v instanceof String[] array) {
                values.addAll(List.of(array));
            } else if (v != null) {
                values.add(v.toString());
            }
            out.put(name, values);
        }
        return out;
    }

    /** A message that quotes what the user typed stays one line: control characters become '?'. */
    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\p{Cntrl}", "?");
    }

    private static String parseError(CommandLine.ParameterException e, String[] args) {
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (RENAMED.containsKey(flag)) {
                return "flag " + flag + " no longer exists; use " + RENAMED.get(flag);
            }
            if (flag.startsWith("-")) {
                List<String> suggestions = u.getSuggestions();
                return "unknown flag " + flag
                        + (suggestions.isEmpty() ? "" : "; did you mean " + suggestions.get(0) + "?");
            }
            return "unexpected argument '" + arg + "'; every setting is a --flag";
        }
        String m = e.getMessage() == null ? "invalid command line" : e.getMessage();
        return m.replace("Missing required parameter for option ", "flag needs a value: ")
                .replace('\n', ' ');
    }
}
