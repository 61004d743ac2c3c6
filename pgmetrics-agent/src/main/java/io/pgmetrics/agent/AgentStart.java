package io.pgmetrics.agent;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ConfigSource;
import io.pgmetrics.exporter.config.EnvironmentConfig;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.TargetSpec;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What the agent does on its own daemon thread: keeps its driver out of the host's DriverManager,
 * resolves the configuration (the exporter's environment variables and config file, else Spring
 * Boot's data source), starts the exporter's HTTP endpoint on the agent's port and says in one line
 * what it serves, or why it does not; then watches that the databases can be reached.
 */
final class AgentStart implements Runnable {

    private static final String STILL_RUNS = "the agent is off, the application runs on";

    private final AgentArguments arguments;
    private final Map<String, String> env;
    private final Properties systemProperties;
    private final long launchedNanos;
    /** The JVM's, given to premain/agentmain; used only to reach the native-heap trim without JMX (may be null). */
    private final Instrumentation instrumentation;

    AgentStart(
            AgentArguments arguments,
            Map<String, String> env,
            Properties systemProperties,
            long launchedNanos,
            Instrumentation instrumentation) {
        this.arguments = arguments;
        this.env = env;
        this.systemProperties = systemProperties;
        this.launchedNanos = launchedNanos;
        this.instrumentation = instrumentation;
    }

    @Override
    public void run() {
        try {
            start();
        } catch (Throwable e) { // a thread of ours dying noisily would still be harm: one line, then quiet
            AgentLog.warning("cannot start (" + AgentLog.describe(e) + "); " + STILL_RUNS);
        }
    }

    private void start() throws java.sql.SQLException {
        EmbeddedLogging.quietUnlessConfigured();
        DriverIsolation.keepOutOfDriverManager();
        ConfigSource source = configuration();
        ExporterConfig config;
        try {
            config = source.load();
        } catch (ConfigException e) {
            AgentLog.warning(e.getMessage() + "; " + STILL_RUNS);
            return;
        }
        Exporter exporter;
        try {
            exporter = Exporter.start(config, source);
        } catch (BindException e) {
            AgentLog.warning("cannot listen on " + arguments.listenAddress() + ": the port is in use (" + e.getMessage()
                    + "); choose another port in -javaagent:pgmetrics-agent.jar=<port>; " + STILL_RUNS);
            return;
        } catch (IOException e) {
            AgentLog.warning(
                    "cannot listen on " + arguments.listenAddress() + " (" + AgentLog.describe(e) + "); " + STILL_RUNS);
            return;
        } catch (ConfigException e) {
            AgentLog.warning(e.getMessage() + "; " + STILL_RUNS);
            return;
        }
        long millis = (System.nanoTime() - launchedNanos) / 1_000_000;
        AgentLog.info("serving http://" + shown(arguments.host()) + ":" + exporter.port()
                + config.http().telemetryPath() + " for " + describe(config.targets()) + " (ready " + millis
                + " ms after launch)");
        try {
            DatabaseWatch.connecting().watch(config.targets());
            if (trimsNativeHeap()) {
                NativeHeapTrim.of(instrumentation).everyMinute(); // this thread has nothing else to do
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean trimsNativeHeap() {
        try {
            return NativeHeapTrim.enabled(env, systemProperties);
        } catch (IllegalArgumentException e) {
            AgentLog.warning(e.getMessage() + "; the agent leaves the native heap alone");
            return false;
        }
    }

    /** The exporter's configuration from the environment and the config file, with the agent's port and Spring's fallback. */
    ConfigSource configuration() {
        // in a host application /probe (connections to hosts a request names) is off unless asked for
        ConfigSource exporterSettings = EnvironmentConfig.source(env, arguments.configFile(), false);
        return () -> agentSettings(exporterSettings.load());
    }

    private ExporterConfig agentSettings(ExporterConfig loaded) {
        ExporterConfig.Builder b = loaded.toBuilder().listenAddresses(List.of(listenAddress()));
        if (loaded.targets().isEmpty()) {
            SpringDataSource.Lookup spring = SpringDataSource.lookup(env, systemProperties);
            spring.problem().ifPresent(AgentLog::warning);
            spring.target().ifPresent(t -> b.targets(List.of(t)));
        }
        return b.build();
    }

    private InetSocketAddress listenAddress() {
        return arguments.host().isEmpty()
                ? new InetSocketAddress(arguments.port())
                : new InetSocketAddress(arguments.host(), arguments.port());
    }

    private static String shown(String host) {
        if (host.isEmpty()) {
            return "0.0.0.0";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String describe(List<TargetSpec> targets) {
        if (targets.isEmpty()) {
            return "no database (none configured: set DATA_SOURCE_NAME, or SPRING_DATASOURCE_URL, or targets in the config file; pg_up is 0)";
        }
        return targets.stream().map(t -> "the database from " + t.origin()).collect(Collectors.joining(", "));
    }
}
