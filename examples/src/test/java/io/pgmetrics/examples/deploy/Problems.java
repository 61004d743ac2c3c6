package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Collects every problem of a check, so one run names all of them (lighter than soft assertions). */
final class Problems {

    private final List<String> found = new ArrayList<>();

    void expect(boolean ok, String format, Object... args) {
        if (!ok) {
            found.add(String.format(format, args));
        }
    }

    void expectEqual(Object actual, Object expected, String format, Object... args) {
        if (!Objects.equals(actual, expected)) {
            found.add(String.format(format, args) + ": expected " + expected + " but was " + actual);
        }
    }

    void assertNone() {
        assertThat(found).as("problems found").isEmpty();
    }
}
