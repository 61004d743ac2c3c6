package io.pgmetrics.exporter;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ConfigSource;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.http.ConnectionGuard;
import io.pgmetrics.exporter.http.HttpServers;
import io.pgmetrics.exporter.http.LandingPage;
import io.pgmetrics.exporter.http.MetricsEndpoint;
import io.pgmetrics.exporter.http.Responses;
import io.pgmetrics.exporter.logging.Redaction;
import io.pgmetrics.exporter.probe.ProbeEndpoint;
import io.pgmetrics.exporter.scrape.Generation;
import io.pgmetrics.exporter.scrape.MetaState;
import io.pgmetrics.exporter.scrape.Scraper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The exporter at run time: HTTP endpoints over the current configuration's targets, reload
 * without a restart, orderly close. The standalone {@link Main} and the java agent both drive it;
 * it never exits the JVM and installs no signal handler of its own.
 *
 * <pre>
 * Exporter exporter = Exporter.start(ExporterConfig.builder().port(0).target(dsn).build());
 * int port = exporter.port();
 * ...
 * exporter.close();
 * </pre>
 *
 * <p>Endpoints: the telemetry path (default {@code /metrics}), {@code /probe}, {@code /healthz}
 * (alias {@code /-/healthy}), {@code /readyz} (alias {@code /-/ready}), {@code /-/reload} (POST, when
 * enabled) and the landing page {@code /}. Health endpoints stay outside basic auth so that
 * orchestrator probes work; everything else is behind it when the web config asks for it.
 */
public final class Exporter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Exporter.class.getName());
    private static final int BACKLOG = 64;

    private final ExporterConfig startConfig;
    private final ConfigSource reloads;
    private final HttpServers transport;
    private final MetaState meta;
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final ConnectionGuard connections;
    private final ExecutorService scrapePool;
    private final Scraper scraper;
    private final Object reloadLock = new Object();
    private volatile boolean closed;

    private Exporter(
            ExporterConfig config, ConfigSource reloads, HttpServers transport, MetaState meta, Generation first) {
        this.startConfig = config;
        this.reloads = reloads;
        this.transport = transport;
        this.meta = meta;
        this.current.set(first);
        this.connections = new ConnectionGuard(
                config.http().threads(),
                config.http().limits(),
                daemon("pgmetrics-http"),
                daemon("pgmetrics-http-deadlines"));
        this.scrapePool = Executors.newCachedThreadPool(daemon("pgmetrics-scrape"));
        this.scraper = new Scraper(meta, scrapePool);
    }

    /**
     * Starts serving a fixed configuration: a reload reads its query files, auth modules and
     * secrets again, with the same settings.
     *
     * @see #start(ExporterConfig, ConfigSource)
     */
    public static Exporter start(ExporterConfig config) throws ConfigException, IOException {
        return start(config, () -> config);
    }

    /**
     * Loads the configuration (query files, auth modules, targets) and starts serving. Databases are
     * not contacted here: a database that is down does not stop the start.
     *
     * @param config the configuration to start with
     * @param reloads where a reload (SIGHUP, POST /-/reload) reads the configuration again
     * @throws ConfigException when the configuration is wrong (one line: where, what, what is expected)
     * @throws IOException when a listen address cannot be bound
     */
    public static Exporter start(ExporterConfig config, ConfigSource reloads) throws ConfigException, IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(reloads, "reloads");
        HttpServers transport = config.http().webConfigFile().isPresent()
                ? HttpServers.fromWebConfig(config.http().webConfigFile().get())
                : HttpServers.plain();
        MetaState meta = new MetaState();
        Generation first = Generation.build(config, meta);
        Exporter exporter = new Exporter(config, reloads, transport, meta, first);
        try {
            exporter.listen();
        } catch (IOException | RuntimeException e) {
            exporter.close();
            throw e;
        }
        return exporter;
    }

    private void listen() throws IOException {
        for (InetSocketAddress address : startConfig.http().listenAddresses()) {
            HttpServer server = transport.create(address, BACKLOG);
            server.setExecutor(connections);
            String path = startConfig.http().telemetryPath().isEmpty()
                    ? "/metrics"
                    : startConfig.http().telemetryPath();
            protect(context(server, path, new MetricsEndpoint(path, this::acquire, scraper)));
            if (startConfig.probe().enabled()) {
                protect(context(server, "/probe", new ProbeEndpoint(this::acquire, scraper)));
            }
            context(server, "/healthz", this::health);
            context(server, "/-/healthy", this::health);
            context(server, "/readyz", this::ready);
            context(server, "/-/ready", this::ready);
            protect(context(server, "/-/reload", this::reloadEndpoint));
            if (startConfig.http().landingPage()) {
                protect(context(server, "/", new LandingPage(this::acquire, meta, transport.describe())));
            }
            server.start();
            servers.add(server);
            LOG.log(
                    System.Logger.Level.INFO,
                    "listening on " + describe(server.getAddress()) + " (" + transport.describe() + "), metrics at "
                            + path);
        }
    }

    private HttpContext context(HttpServer server, String path, HttpHandler handler) {
        HttpContext context = server.createContext(path, guarded(handler));
        context.getFilters().add(connections.filter());
        return context;
    }

    private void protect(HttpContext context) {
        transport.authenticator().ifPresent(context::setAuthenticator);
    }

    /** The port of the first listen address (useful with port 0). */
    public int port() {
        return servers.get(0).getAddress().getPort();
    }

    /** The bound ports, one per listen address. */
    public List<Integer> ports() {
        return servers.stream().map(s -> s.getAddress().getPort()).toList();
    }

    /**
     * Re-reads the configuration from the {@link ConfigSource} given at start (files, secrets, custom
     * queries, auth modules) and swaps it in. A mistake leaves the running configuration serving,
     * sets {@code postgres_exporter_config_last_reload_successful} to 0 and is thrown.
     * Listen addresses and the web config are fixed at start.
     */
    public void reload() throws ConfigException {
        synchronized (reloadLock) {
            Generation old = current.get();
            if (closed || old == null) {
                return;
            }
            Generation next;
            try {
                ExporterConfig config = reloads.load();
                if (!config.http().listenAddresses().equals(startConfig.http().listenAddresses())
                        || !config.http()
                                .telemetryPath()
                                .equals(startConfig.http().telemetryPath())
                        || !config.http()
                                .webConfigFile()
                                .equals(startConfig.http().webConfigFile())) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "listen addresses, telemetry path and web config file change only at restart");
                }
                next = Generation.build(config, meta);
            } catch (ConfigException e) {
                meta.lastReloadSuccessful = false;
                meta.reloadFailures.incrementAndGet();
                LOG.log(
                        System.Logger.Level.ERROR,
                        "reload rejected, the previous configuration keeps serving: "
                                + Redaction.redact(e.getMessage()));
                throw e;
            }
            current.set(next);
            old.retire();
            meta.lastReloadSuccessful = true;
            meta.lastReloadSuccessSeconds = System.currentTimeMillis() / 1000.0;
            LOG.log(System.Logger.Level.INFO, "configuration reloaded");
        }
    }

    /** The current generation with a reference taken, or null once closed. */
    private Generation acquire() {
        while (true) {
            Generation g = current.get();
            if (g == null) {
                return null;
            }
            if (g.acquire()) {
                return g;
            }
            // swapped out and closed between get and acquire: try the new one
        }
    }

    /**
     * The health contexts are outside basic auth, and the JDK server gives a context every path that
     * starts with it: only the exact path is a health endpoint ({@code /healthz/../metrics} is not).
     */
    private static boolean notExactly(HttpExchange ex) throws IOException {
        if (ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
            return false;
        }
        Responses.text(ex, 404, "not found");
        return true;
    }

    private void health(HttpExchange ex) throws IOException {
        if (!notExactly(ex) && !Responses.rejectMethod(ex, "GET", "HEAD")) {
            Responses.text(ex, closed ? 503 : 200, closed ? "shutting down" : "ok");
        }
    }

    private void ready(HttpExchange ex) throws IOException {
        if (!notExactly(ex) && !Responses.rejectMethod(ex, "GET", "HEAD")) {
            boolean ready = !closed && current.get() != null;
            Responses.text(ex, ready ? 200 : 503, ready ? "ready" : "not ready: no configuration loaded");
        }
    }

    private void reloadEndpoint(HttpExchange ex) throws IOException {
        if (!startConfig.http().enableReload()) {
            Responses.text(ex, 404, "reload endpoint disabled; start with --web.enable-reload (SIGHUP always reloads)");
            return;
        }
        if (Responses.rejectMethod(ex, "POST", "PUT")) {
            return;
        }
        try {
            reload();
            Responses.text(ex, 200, "configuration reloaded");
        } catch (ConfigException e) {
            Responses.text(
                    ex,
                    500,
                    "reload failed, the previous configuration keeps serving: " + Redaction.redact(e.getMessage()));
        }
    }

    /** Stops listening (in-flight requests get up to a second) and closes every pool. Idempotent. */
    @Override
    public void close() {
        synchronized (reloadLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (HttpServer s : servers) {
            s.stop(1);
        }
        Generation g = current.getAndSet(null);
        if (g != null) {
            g.retire();
        }
        connections.close();
        scrapePool.shutdownNow();
        LOG.log(System.Logger.Level.INFO, "stopped");
    }

    /**
     * Adds the web config's response headers, and answers 500 with one line instead of dropping the
     * connection when a handler fails unexpectedly.
     */
    private HttpHandler guarded(HttpHandler h) {
        Map<String, String> headers = transport.headers();
        return ex -> {
            try (ex) {
                headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                h.handle(ex);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "client went away: " + e.getMessage());
            } catch (RuntimeException | Error e) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "request " + ex.getRequestURI().getPath() + " failed: " + e,
                        e);
                try {
                    Responses.text(ex, 500, "internal error: " + e.getClass().getSimpleName());
                } catch (IOException | RuntimeException ignored) {
                    // response already started
                }
            }
        };
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String describe(InetSocketAddress a) {
        return (a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "" : a.getHostString()) + ":"
                + a.getPort();
    }
}
