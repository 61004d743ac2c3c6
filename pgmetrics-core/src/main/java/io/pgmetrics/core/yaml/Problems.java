package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects what is wrong with a file (errors) and what is only odd (warnings), each at its location. */
final class Problems {

    private record Located(Location location, Problem problem) {}

    private final List<Located> errors = new ArrayList<>();
    private final List<Located> warnings = new ArrayList<>();

    void error(Location at, String query, String column, String field, String message) {
        error(at, Problem.of(query, column, field, message));
    }

    /** The same problem at the same place is kept once (the validator may find it per profile or per column). */
    void error(Location at, Problem problem) {
        Located located = new Located(at, problem.at(at.toString()));
        if (!errors.contains(located)) {
            errors.add(located);
        }
    }

    void warn(Location at, String query, String column, String field, String message) {
        warnings.add(new Located(at, Problem.of(query, column, field, message).at(at.toString())));
    }

    int errorCount() {
        return errors.size();
    }

    /** Errors in file order. */
    List<Problem> errors() {
        return sorted(errors);
    }

    List<Problem> warnings() {
        return sorted(warnings);
    }

    /**
     * @throws CatalogException with every error, in file order, if there is any; the warnings come along
     *     (their message starts with "warning: "), since an ignored key often explains an error
     */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            List<Located> all = new ArrayList<>(errors);
            for (Located w : warnings) {
                Problem p = w.problem();
                all.add(new Located(
                        w.location(),
                        new Problem(p.location(), p.query(), p.column(), p.field(), "warning: " + p.message())));
            }
            throw new CatalogException(sorted(all));
        }
    }

    private static List<Problem> sorted(List<Located> list) {
        return list.stream()
                .sorted(Comparator.comparing(Located::location))
                .map(Located::problem)
                .toList();
    }
}
