package io.pgmetrics.exporter.web;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The gate in front of the handlers, in the toolkit's order: the rate limit (429), then HTTP basic auth
 * against bcrypt hashes (401). Paths the caller declares open (e.g. {@code /healthz}) pass both.
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
        return super.authenticate(exchange);
    }

    @Override
    public boolean checkCredentials(String user, String password) {
        return credentials.check(user, password);
    }
}
