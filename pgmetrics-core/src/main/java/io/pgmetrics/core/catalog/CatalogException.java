package io.pgmetrics.core.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** A catalog that cannot be used, with every problem found (not only the first). */
public final class CatalogException extends IllegalArgumentException {

    private final transient List<Problem> problems;

    public CatalogException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public CatalogException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }
}
