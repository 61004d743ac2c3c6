package io.pgmetrics.exporter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code /probe} endpoint: whether it is served, where it may connect, with which auth modules,
 * and how many targets and connections it keeps.
 *
 * @param enabled serve {@code /probe} (the java agent leaves it off unless asked)
 * @param allowedTargets host names, globs or CIDR ranges /probe may connect to (empty = any)
 * @param cacheSize how many /probe targets keep their pool between requests
 * @param cacheTtl how long an unused /probe target keeps its pool
 * @param maxConnections connections all /probe targets may hold together
 * @param authModulesFile postgres_exporter's {@code --config.file} with auth modules for /probe
 * @param authModulesFileRequired false for the default file name: then a missing file is fine
 * @param authModules auth modules given inline in our config file (the file's modules win on a name clash)
 */
public record ProbeSettings(
        boolean enabled,
        List<String> allowedTargets,
        int cacheSize,
        Duration cacheTtl,
        int maxConnections,
        Optional<Path> authModulesFile,
        boolean authModulesFileRequired,
        Map<String, AuthModules.Module> authModules) {

    /** The connection budget bounds the kept targets, hence no count of its own. */
    public static final ProbeSettings DEFAULTS = new ProbeSettings(
            true, List.of(), Integer.MAX_VALUE, Duration.ofMinutes(5), 500, Optional.empty(), false, Map.of());

    public ProbeSettings {
        allowedTargets = List.copyOf(allowedTargets);
        Objects.requireNonNull(cacheTtl, "probeCacheTtl");
        Objects.requireNonNull(authModulesFile, "authModulesFile");
        authModules = Map.copyOf(authModules);
    }
}
