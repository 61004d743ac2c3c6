package io.pgmetrics.exporter;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates the listening servers: plain HTTP, or what the Prometheus web-config file asks for (TLS,
 * mTLS, basic auth) through {@code io.pgmetrics.exporter.web.WebConfig}. The one seam between the
 * endpoints and transport security.
 */
interface HttpServers {

    HttpServer create(InetSocketAddress address, int backlog) throws IOException;

    /** The authenticator every endpoint except the health checks is behind, if any. */
    Optional<Authenticator> authenticator();

    /** What the landing page says about transport security. */
    String describe();

    static HttpServers plain() {
        return new HttpServers() {
            @Override
            public HttpServer create(InetSocketAddress address, int backlog) throws IOException {
                return HttpServer.create(address, backlog);
            }

            @Override
            public Optional<Authenticator> authenticator() {
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "plain HTTP";
            }
        };
    }

    /** From a web-config file; the file's mistakes are configuration errors. */
    static HttpServers fromWebConfig(Path file) throws ConfigException {
        return WebConfigServers.load(file);
    }
}
