package io.pgmetrics.exporter.web;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The gate in front of the handlers, in the toolkit's order: the rate limit (429), then HTTP basic auth
 * against bcrypt hashes (401; 429 while too many wrong passwords arrive). Paths the caller declares open
 * (e.g. {@code /healthz}) pass both.
 * The credentials are checked by a {@link CredentialChecker} that all gates of one configuration share.
 */
final class BasicAuthGate extends BasicAuthenticator {

    private static final String REALM = "pgmetrics";

    private final CredentialChecker credentials;
    private final Optional<RateLimit> rateLimit;
    private final Predicate<String> openPaths;

    BasicAuthGate(CredentialChecker credentials, Optional<RateLimit> rateLimit, Predicate<String> openPaths) {
        super(REALM, StandardCharsets.UTF_8);
        this.credentials = credentials;
        this.rateLimit = rateLimit;
        this.openPaths = openPaths;
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
        if (openPaths.test(exchange.getRequestURI().getPath())) {
            return new Success(new HttpPrincipal("", REALM));
        }
        if (rateLimit.isPresent() && !rateLimit.get().tryAcquire()) {
            return new Failure(429);
        }
        if (!credentials.enabled()) {
            return new Success(new HttpPrincipal("", REALM));
        }
        return basicAuth(exchange);
    }

    /**
     * Reads the Authorization header itself rather than through {@code BasicAuthenticator}, whose JDK 17
     * version drops the connection without an answer on malformed credentials and wants the scheme in one
     * exact case. Anything but valid, matching credentials is a 401 with a challenge.
     */
    private Result basicAuth(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.length() > 6 && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String userAndPassword;
            try {
                userAndPassword = new String(
                        Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                userAndPassword = "";
            }
            int colon = userAndPassword.indexOf(':');
            if (colon >= 0) {
                String user = userAndPassword.substring(0, colon);
                switch (credentials.verdict(user, userAndPassword.substring(colon + 1))) {
                    case ACCEPTED -> {
                        return new Success(new HttpPrincipal(user, REALM));
                    }
                    case THROTTLED -> {
                        return new Failure(429);
                    }
                    case REFUSED -> {} // the challenge below
                }
            }
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        return new Failure(401);
    }

    @Override
    public boolean checkCredentials(String user, String password) {
        return credentials.check(user, password);
    }
}
