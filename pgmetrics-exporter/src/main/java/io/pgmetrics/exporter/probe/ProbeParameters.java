package io.pgmetrics.exporter.probe;

import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.DsnException;
import io.pgmetrics.exporter.config.AuthModules;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The connection parameters a {@code /probe?target=} may carry. The caller is not the operator: a target
 * could otherwise switch off timeouts ({@code socketTimeout=0} piles up threads and sockets on a server
 * that never answers), change what the session runs ({@code options}, {@code currentSchema}) or read
 * files ({@code sslkey}, {@code service}). So: host, port, database, user and password as written,
 * {@code sslmode}, {@code application_name}, {@code connect_timeout} (clamped to the exporter's own; the
 * socket timeout is the exporter's too, see {@link #bounded}),
 * and the TLS files ({@code sslrootcert}, {@code sslcert}, {@code sslkey}) only with a value an auth
 * module's options name. Anything else is refused by name, never repeating its value.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class ProbeParameters {

    private static final Set<String> ALLOWED = Set.of("sslmode", "application_name", "connect_timeout");
    private static final Set<String> TLS_FILES = Set.of("sslrootcert", "sslcert", "sslkey");
    /** Above the query timeout, so that a query is cancelled by its statement_timeout before its socket gives up. */
    private static final long SOCKET_MARGIN_SECONDS = 5;

    /** {@code name=value} of the TLS file parameters the operator configured. */
    private final Set<String> operatorFiles = new HashSet<>();

    public ProbeParameters(Collection<AuthModules.Module> modules) {
        for (AuthModules.Module m : modules) {
            m.options().forEach((k, v) -> {
                if (TLS_FILES.contains(k)) {
                    operatorFiles.add(k + "=" + v);
                }
            });
        }
    }

    /** Why the target's parameters cannot be used, if they cannot. */
    Optional<String> problem(Dsn target) {
        for (Map.Entry<String, String> p : target.parameters().entrySet()) {
            String name = p.getKey();
            if (ALLOWED.contains(name)) {
                continue;
            }
            if (TLS_FILES.contains(name)) {
                if (operatorFiles.contains(name + "=" + p.getValue())) {
                    continue;
                }
                return Optional.of("target parameter " + name + " may only name a file an auth module's options name");
            }
            return Optional.of("target parameter " + name + " is not allowed in /probe; allowed: host, port, dbname, "
                    + "user, password, sslmode, application_name, connect_timeout, and the auth modules' TLS files");
        }
        return Optional.empty();
    }

    /**
     * The target with {@code connect_timeout} at most the exporter's own (0, "wait forever", included) and
     * a socket timeout just above the query timeout instead of the driver's minute: a server that accepts
     * the connection and never answers holds a probe's connecting thread and socket that long, and a
     * caller can name as many such targets as it likes.
     */
    static Dsn bounded(Dsn target, Duration queryTimeout) {
        long socketSeconds =
                Math.min(Dsn.DEFAULT_SOCKET_TIMEOUT_SECONDS, queryTimeout.toSeconds() + SOCKET_MARGIN_SECONDS);
        try {
            Dsn d = target.withParameter("socketTimeout", Long.toString(socketSeconds));
            String timeout = target.parameters().get("connect_timeout");
            if (timeout != null && !withinDefault(timeout)) {
                d = d.withParameter("connect_timeout", Integer.toString(Dsn.DEFAULT_CONNECT_TIMEOUT_SECONDS));
            }
            return d;
        } catch (DsnException e) {
            throw new IllegalStateException("whole numbers of seconds are valid timeouts", e);
        }
    }

    private static boolean withinDefault(String seconds) {
        try {
            int s = Integer.parseInt(seconds.strip());
            return s >= 1 && s <= Dsn.DEFAULT_CONNECT_TIMEOUT_SECONDS;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
