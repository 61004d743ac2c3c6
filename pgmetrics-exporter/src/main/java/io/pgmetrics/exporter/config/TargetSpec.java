package io.pgmetrics.exporter.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A database the exporter scrapes on {@code /metrics}: a connection string as the user wrote it
 * (URL, libpq key=value or JDBC URL, secrets included), credentials that override the string's, and
 * where it came from, for messages. {@link #toString()} never shows the connection string.
 *
 * @param dsn the connection string, possibly with a password
 * @param user a user that replaces the string's, if given separately
 * @param password a password that replaces the string's, if given separately (e.g. from a file)
 * @param origin where it was configured, e.g. "DATA_SOURCE_NAME entry 2" or "pgmetrics.yml:4:5"
 */
public record TargetSpec(String dsn, Optional<String> user, Optional<String> password, String origin) {

    public TargetSpec {
        Objects.requireNonNull(dsn, "dsn");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(origin, "origin");
    }

    public TargetSpec(String dsn, String origin) {
        this(dsn, Optional.empty(), Optional.empty(), origin);
    }

    public static TargetSpec of(String dsn) {
        return new TargetSpec(dsn, "configuration");
    }

    @Override
    public String toString() {
        return "target from " + origin;
    }
}
