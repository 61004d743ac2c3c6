package io.pgmetrics.core.connect;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A DSN the user wrote cannot be used. The message says what is wrong, where (a 1-based character
 * position in the text, or the parameter's name) and how to fix it.
 *
 * <p>The message never repeats what the user typed: a DSN holds a password, and a typo (an
 * unescaped {@code @} or {@code /}, a missing quote) can move it into any other field. Only names
 * of parameters that libpq or pgjdbc know are quoted.
 */
public final class DsnException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int position;
    private final String key;

    DsnException(String problem, int position, String key) {
        super(compose(problem, position, key));
        this.position = position;
        this.key = key;
    }

    static DsnException at(int index, String problem) {
        return new DsnException(problem, index + 1, null);
    }

    static DsnException forKey(String key, int index, String problem) {
        return new DsnException(problem, index < 0 ? -1 : index + 1, key);
    }

    private static String compose(String problem, int position, String key) {
        StringBuilder m = new StringBuilder("invalid DSN");
        if (key != null) {
            m.append(", parameter \"").append(key).append('"');
        }
        if (position > 0) {
            m.append(" at position ").append(position);
        }
        return m.append(": ").append(problem).toString();
    }

    /** The 1-based position in the DSN text where the problem is, if known. */
    public OptionalInt position() {
        return position > 0 ? OptionalInt.of(position) : OptionalInt.empty();
    }

    /** The parameter at fault, if the problem is in a known parameter. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
