package io.pgmetrics.test;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem of a check in one failure, one per line, so a single run shows all there is to fix. */
final class Failures {

    private Failures() {}

    static String lines(List<?> problems) {
        return problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    }

    static void failIfAny(String heading, List<?> problems) {
        if (!problems.isEmpty()) {
            throw new AssertionError(heading + ":\n" + lines(problems));
        }
    }
}
