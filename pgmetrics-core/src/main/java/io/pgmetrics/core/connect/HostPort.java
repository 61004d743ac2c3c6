package io.pgmetrics.core.connect;

import java.util.Objects;

/**
 * One server address of a {@link Dsn}: a host name, an IP address (IPv6 without brackets) or a
 * Unix-socket directory (a path starting with {@code /}, or {@code @} for Linux's abstract
 * namespace), and a TCP port.
 */
public record HostPort(String host, int port) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 5432;

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, not " + port);
        }
    }

    /** A directory holding the server's socket file, which libpq uses and pgjdbc cannot. */
    public boolean isUnixSocket() {
        return host.startsWith("/") || host.startsWith("@");
    }

    public boolean isIpv6() {
        return host.indexOf(':') >= 0 && !isUnixSocket();
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    @Override
    public String toString() {
        return (isIpv6() ? "[" + host + "]" : host) + ":" + port;
    }
}
