package io.pgmetrics.core.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password. It prints as {@code ****} wherever it ends up (logs, exception messages, debugger
 * views of a {@link Dsn}); only {@link #reveal()} gives the text, and only the code that hands it
 * to the driver should call it.
 */
public final class Secret {

    /** What a secret prints as. */
    public static final String MASK = "****";

    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The password itself, for the driver. Never log it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        // constant time, so a comparison does not tell how many leading characters matched
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
