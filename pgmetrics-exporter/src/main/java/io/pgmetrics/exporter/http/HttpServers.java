package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpServer;
import io.pgmetrics.exporter.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the listening servers: plain HTTP, or what the Prometheus web-config file asks for (TLS,
 * mTLS, basic auth, rate limit, response headers) through {@link io.pgmetrics.exporter.web.WebConfig}.
 * The one seam between the endpoints and transport security.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public interface HttpServers {

    HttpServer create(InetSocketAddress address, int backlog) throws IOException;

    /** The gate every endpoint except the health checks is behind, if any. */
    Optional<Authenticator> authenticator();

    /** Headers added to every response. */
    Map<String, String> headers();

    /** What the landing page and the log say about transport security. */
    String describe();

    static HttpServers plain() {
        return new WebConfigServers(io.pgmetrics.exporter.web.WebConfig.none());
    }

    /** From a web-config file; the file's mistakes are configuration errors. */
    static HttpServers fromWebConfig(Path file) throws ConfigException {
        try {
            return new WebConfigServers(io.pgmetrics.exporter.web.WebConfig.load(file));
        } catch (io.pgmetrics.exporter.web.WebConfigException e) {
            throw new ConfigException("flag --web.config.file: " + e.getMessage());
        }
    }
}
