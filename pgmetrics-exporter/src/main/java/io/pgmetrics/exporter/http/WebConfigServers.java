package io.pgmetrics.exporter.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpServer;
import io.pgmetrics.exporter.web.WebConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/** {@link HttpServers} backed by a Prometheus web-config ({@link WebConfig#none()} for plain HTTP). */
final class WebConfigServers implements HttpServers {

    private final WebConfig web;
    private final Optional<Authenticator> authenticator;

    WebConfigServers(WebConfig web) {
        this.web = web;
        this.authenticator = web.authenticator();
    }

    @Override
    public HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return web.createServer(address, backlog);
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return authenticator;
    }

    @Override
    public Map<String, String> headers() {
        return web.headers();
    }

    @Override
    public String describe() {
        return web.describe();
    }
}
