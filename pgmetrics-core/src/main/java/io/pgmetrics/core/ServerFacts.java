package io.pgmetrics.core;

import io.pgmetrics.core.catalog.PgVersion;
import java.util.List;
import java.util.Set;

/**
 * What the engine knows about a server when it plans: a plan is remade when any of this changes.
 *
 * @param version {@code server_version_num}
 * @param versionText the full {@code version()} string
 * @param inRecovery whether the server is a standby
 * @param database the database the connection's default points at
 * @param extensions extensions installed in that database
 * @param databases databases that accept connections and are not templates
 */
public record ServerFacts(
        PgVersion version,
        String versionText,
        boolean inRecovery,
        String database,
        Set<String> extensions,
        List<String> databases) {

    public ServerFacts {
        extensions = Set.copyOf(extensions);
        databases = List.copyOf(databases);
    }
}
