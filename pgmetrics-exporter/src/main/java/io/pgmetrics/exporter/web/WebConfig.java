package io.pgmetrics.exporter.web;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.pgmetrics.exporter.web.WebConfigParser.WebSettings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The {@code --web.config.file} of postgres_exporter: the Prometheus exporter-toolkit web configuration
 * (TLS, client certificates, basic auth with bcrypt hashes, response headers, rate limit).
 *
 * <p>{@link #load} reads and checks everything, certificates and keys included, so a mistake stops the
 * start with one message. While serving, certificate, key and client CA files are re-read when they change
 * (checked at each TLS handshake), and {@code basic_auth_users} when the config file changes; other settings
 * need a restart or reload. An instance is immutable apart from that file-following state and is safe to
 * share between threads.
 *
 * <pre>{@code
 * WebConfig web = WebConfig.load(Path.of("web.yml"));          // or WebConfig.none()
 * HttpServer server = web.createServer(new InetSocketAddress(9187), 0);
 * HttpContext ctx = server.createContext("/metrics", handler);
 * web.authenticator(path -> path.equals("/healthz")).ifPresent(ctx::setAuthenticator);
 * // add web.headers() to every response
 * }</pre>
 */
public final class WebConfig {

    private static final System.Logger LOG = System.getLogger(WebConfig.class.getName());
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    private static final WebConfig NONE = new WebConfig(
            Optional.empty(),
            new WebSettings(Optional.empty(), true, Map.of(), Map.of(), Optional.empty(), List.of()),
            Optional.empty(),
            FileStamp.NONE);

    private final Optional<Path> file;
    private final WebSettings settings;
    private final Optional<TlsServer> tls;
    private final Optional<RateLimit> rateLimit;
    private final CredentialChecker credentials;

    private WebConfig(Optional<Path> file, WebSettings settings, Optional<TlsServer> tls, FileStamp stamp) {
        this.file = file;
        this.settings = settings;
        this.tls = tls;
        this.rateLimit = settings.rateLimit().map(r -> new RateLimit(r.interval(), r.burst()));
        // followed even when the file names no user yet: users added later turn basic auth on
        this.credentials = new CredentialChecker(
                file.isPresent() ? new UsersFromFile(file.get(), settings.users(), stamp) : settings::users,
                System::nanoTime);
    }

    /** No web config file: plain HTTP, no authentication, no extra headers. */
    public static WebConfig none() {
        return NONE;
    }

    /**
     * Reads and checks a web config file and the certificate, key and CA files it names.
     *
     * @throws WebConfigException saying what is wrong and where (file:line:column), without secrets
     */
    public static WebConfig load(Path file) throws WebConfigException {
        FileStamp stamp = FileStamp.of(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new WebConfigException(file + ": the web config file does not exist; check --web.config.file");
        } catch (MalformedInputException e) {
            throw new WebConfigException(file + ": the web config file is not UTF-8 text");
        } catch (IOException e) {
            throw new WebConfigException(file + ": cannot read the web config file ("
                    + e.getClass().getSimpleName() + "); check its permissions");
        }
        WebSettings settings = WebConfigParser.parse(text, file);
        Optional<TlsServer> tls = Optional.empty();
        if (settings.tls().isPresent()) {
            tls = Optional.of(TlsServer.create(settings.tls().get()));
        }
        for (String note : settings.notes()) {
            LOG.log(Level.WARNING, note);
        }
        // the stamp taken before reading: if the file changed meanwhile, the users are re-read at the next request
        WebConfig config = new WebConfig(Optional.of(file), settings, tls, stamp);
        LOG.log(
                Level.DEBUG,
                file + ": " + config.describe()
                        + (tls.isPresent()
                                ? "; http2 "
                                        + (settings.http2()
                                                ? "requested but not offered (the JDK server speaks HTTP/1.1)"
                                                : "off")
                                : ""));
        return config;
    }

    /**
     * A bound, not yet started server: an {@link HttpsServer} with this configuration's TLS when TLS is
     * configured, else a plain {@link HttpServer}. Add contexts, an executor, then start it.
     */
    /**
     * The JDK's server writes a response's headers and body separately and leaves Nagle's algorithm
     * on: the body then waits for the client's delayed ACK of the headers, 40 ms on Linux, longer
     * than a whole scrape of one database. The property is read once, when the first server is made;
     * a value set by the user (or by the application hosting the agent) is left alone.
     */
    private static void disableNagle() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    public HttpServer createServer(InetSocketAddress address, int backlog) throws IOException {
        disableNagle();
        if (tls.isEmpty()) {
            return HttpServer.create(address, backlog);
        }
        HttpsServer server = HttpsServer.create(address, backlog);
        server.setHttpsConfigurator(tls.get().configurator());
        return server;
    }

    /** The gate (rate limit, then basic auth) for every path; empty when neither is configured. */
    public Optional<Authenticator> authenticator() {
        return authenticator(path -> false);
    }

    /**
     * The gate (rate limit, then basic auth) to set on each {@code HttpContext}; empty when neither is
     * configured. Wrong or missing credentials get 401, too many requests 429.
     *
     * With a config file there is always a gate, letting everything through while the file names no user,
     * so that users added to the file later are enforced without a restart.
     *
     * @param openPaths request paths that pass without credentials or rate limit, e.g. {@code /healthz}
     */
    public Optional<Authenticator> authenticator(Predicate<String> openPaths) {
        if (file.isEmpty() && settings.users().isEmpty() && rateLimit.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BasicAuthGate(credentials, rateLimit, openPaths));
    }

    /** Response headers to add to every response ({@code http_server_config.headers}), in file order. */
    public Map<String, String> headers() {
        return settings.headers();
    }

    /** The file this configuration came from; empty for {@link #none()}. */
    public Optional<Path> file() {
        return file;
    }

    public boolean tlsEnabled() {
        return tls.isPresent();
    }

    /** Whether the file names users now (it is followed while serving). */
    public boolean basicAuthEnabled() {
        return credentials.enabled();
    }

    /** The certificate served now, after checking its files; empty without TLS. For logs and tests. */
    public Optional<X509Certificate> servedCertificate() {
        return tls.map(TlsServer::certificate);
    }

    /** The credential checker shared by this configuration's gates. */
    CredentialChecker credentials() {
        return credentials;
    }

    /** One line for logs and the landing page, without secrets, e.g. "TLS TLS12-TLS13, ..., basic auth (2 users)". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(tls.map(TlsServer::describe).orElse("plain HTTP"));
        if (!settings.users().isEmpty()) {
            parts.add(
                    "basic auth (" + settings.users().size() + (settings.users().size() == 1 ? " user)" : " users)"));
        }
        rateLimit.ifPresent(r ->
                parts.add("rate limit " + r.burst() + " per " + r.interval().toMillis() + "ms"));
        if (!settings.headers().isEmpty()) {
            parts.add("headers " + String.join(", ", settings.headers().keySet()));
        }
        return String.join("; ", parts);
    }

    @Override
    public String toString() {
        return "WebConfig[" + file.map(Path::toString).orElse("none") + ": " + describe() + "]";
    }
}
