package io.pgmetrics.exporter;

import java.nio.file.Path;

/** Adapts the web-config file support to {@link HttpServers}. */
final class WebConfigServers {

    private WebConfigServers() {}

    static HttpServers load(Path file) throws ConfigException {
        throw new ConfigException("flag --web.config.file: " + file + ": TLS and basic authentication are not available in this build");
    }
}
