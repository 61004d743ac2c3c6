package io.pgmetrics.exporter.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.DsnException;
import io.pgmetrics.core.connect.HostPort;
import io.pgmetrics.core.connect.Secret;
import io.pgmetrics.exporter.config.AuthModules;
import io.pgmetrics.exporter.http.Budgets;
import io.pgmetrics.exporter.http.Exposition;
import io.pgmetrics.exporter.http.Responses;
import io.pgmetrics.exporter.scrape.Generation;
import io.pgmetrics.exporter.scrape.Scraper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /probe?target=…&auth_module=…}: the same metrics as {@code /metrics}, for a target named in
 * the request (multi-target pattern). postgres_exporter's 400 cases, a 400 naming a connection
 * parameter the target may not carry ({@link ProbeParameters}), a 403 for a host outside
 * {@code probe.allowed_targets}, a 403 for an auth module without an allow-list (its own or the global
 * one: a module's password only ever goes to hosts the operator allowed), the scrape budget as on
 * /metrics, and pools kept per target within a connection budget ({@link ProbeTargets}). A target reads
 * the database it names; {@code databases=all} (or {@code --auto-discover-databases}) reads every
 * database of its server, once per server.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class ProbeEndpoint implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(ProbeEndpoint.class.getName());

    private final Supplier<Generation> generations;
    private final Scraper scraper;

    public ProbeEndpoint(Supplier<Generation> generations, Scraper scraper) {
        this.generations = generations;
        this.scraper = scraper;
    }

    /** Why a probe request cannot be served, as status and body. */
    record Rejection(int status, String message) {}

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Responses.serve(ex, Set.of("/probe"), generations, g -> probe(ex, g));
    }

    private void probe(HttpExchange ex, Generation g) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        Object resolved = resolve(g, Exposition.param(query, "target"), Exposition.param(query, "auth_module"));
        if (resolved instanceof Rejection r) {
            Responses.text(ex, r.status(), r.message());
            return;
        }
        String databases = Exposition.param(query, "databases");
        if (databases != null && !databases.equals("all")) {
            Responses.text(ex, 400, "databases may only be 'all' (read every database of the target's server)");
            return;
        }
        boolean allDatabases = "all".equals(databases) || g.config.queries().autoDiscoverDatabases();
        ProbeTargets.Lease lease;
        try {
            lease = g.probes.lease((Dsn) resolved, allDatabases);
        } catch (ProbeTargets.BudgetFull e) {
            Responses.text(ex, 503, e.getMessage());
            return;
        }
        try (lease) {
            Exposition.send(ex, scraper.probe(g, lease.target(), Budgets.of(ex, g.config)));
        }
    }

    /** The target's DSN with the auth module applied, or why not. */
    static Object resolve(Generation g, String target, String authModule) {
        if (target == null || target.isBlank()) {
            return new Rejection(400, "target is required");
        }
        AuthModules.Module module = null;
        ProbeAllowList moduleList = null;
        if (authModule != null && !authModule.isEmpty()) {
            module = g.authModules.get(authModule);
            if (module == null) {
                return new Rejection(400, "auth_module " + authModule + " not found");
            }
            if (module.username().isEmpty() || module.password().isEmpty()) {
                return new Rejection(400, "auth_module " + authModule + " has no username or password");
            }
            moduleList = new ProbeAllowList(module.allowedTargets());
            if (moduleList.allowsAll() && g.allowList.allowsAll()) {
                return new Rejection(
                        403,
                        "auth_module " + authModule + " is not used: no allow-list says which hosts "
                                + "may receive its password; set --probe.allowed-targets or auth_modules." + authModule
                                + ".allowed_targets");
            }
        } else {
            LOG.log(System.Logger.Level.DEBUG, "no auth_module specified, using default");
        }
        Dsn dsn;
        try {
            dsn = Dsn.parse(normalize(target.strip()));
        } catch (DsnException e) {
            return new Rejection(400, "target is not a valid connection string: " + e.getMessage());
        }
        Optional<String> parameterProblem = g.probeParameters.problem(dsn);
        if (parameterProblem.isPresent()) {
            return new Rejection(400, parameterProblem.get());
        }
        dsn = ProbeParameters.bounded(dsn, g.config.limits().queryTimeout());
        if (module != null) {
            dsn = dsn.withCredentials(module.username(), new Secret(module.password()));
            for (Map.Entry<String, String> o : module.options().entrySet()) {
                try {
                    dsn = dsn.withParameter(o.getKey(), o.getValue());
                } catch (DsnException e) {
                    return new Rejection(
                            400, "auth_module " + authModule + " option " + o.getKey() + ": " + e.getMessage());
                }
            }
        }
        for (HostPort h : dsn.hosts()) {
            if (!g.allowList.allows(h.host())) {
                return new Rejection(403, "target host " + h.host() + " is not in probe.allowed_targets");
            }
            if (moduleList != null && !moduleList.allows(h.host())) {
                return new Rejection(
                        403, "target host " + h.host() + " is not in auth_modules." + authModule + ".allowed_targets");
            }
        }
        return dsn;
    }

    /** Why requests naming some auth modules get 403 under this configuration, if they do; logged once a load. */
    public static Optional<String> modulesWithoutAllowList(Generation g) {
        if (!g.config.probe().enabled() || !g.allowList.allowsAll()) {
            return Optional.empty();
        }
        List<String> open = g.authModules.entrySet().stream()
                .filter(e -> e.getValue().allowedTargets().isEmpty())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (open.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("/probe answers 403 to requests naming auth module(s) " + String.join(", ", open)
                + ": no allow-list says which hosts may receive their passwords; set --probe.allowed-targets "
                + "(PG_EXPORTER_PROBE_ALLOWED_TARGETS, probe.allowed_targets) or the module's allowed_targets");
    }

    /** As postgres_exporter: a URL or key=value string as it is, anything else gets {@code postgresql://} in front. */
    static String normalize(String target) {
        String lower = target.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("postgres://")
                || lower.startsWith("postgresql://")
                || lower.startsWith("jdbc:postgresql:")) {
            return target;
        }
        if (target.matches("^\\s*[a-zA-Z_]+\\s*=.*")) {
            return target;
        }
        return "postgresql://" + target;
    }
}
