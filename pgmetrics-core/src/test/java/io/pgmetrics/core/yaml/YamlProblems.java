package io.pgmetrics.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.Problem;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helpers: the problems a load reports, and where a piece of text sits in a YAML text. */
final class YamlProblems {

    private YamlProblems() {}

    static List<Problem> problemsOf(ThrowingCallable load) {
        CatalogException e = catchThrowableOfType(CatalogException.class, load);
        assertThat(e).as("a CatalogException").isNotNull();
        assertThat(e.problems()).isNotEmpty();
        return e.problems();
    }

    static Problem onlyProblem(ThrowingCallable load) {
        List<Problem> problems = problemsOf(load);
        assertThat(problems).as("problems: %s", problems).hasSize(1);
        return problems.get(0);
    }

    /** "source:line:column" of the first character of {@code needle}, which must occur exactly once in the text. */
    static String where(String source, String yaml, String needle) {
        int at = yaml.indexOf(needle);
        assertThat(at).as("'%s' in the YAML", needle).isNotNegative();
        assertThat(yaml.indexOf(needle, at + 1)).as("'%s' occurs once", needle).isNegative();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (yaml.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return source + ":" + line + ":" + (at - lineStart + 1);
    }

    /** Like {@link #where(String, String, String)} for the n-th (0-based) of several occurrences. */
    static String where(String source, String yaml, String needle, int occurrence) {
        int at = -1;
        for (int i = 0; i <= occurrence; i++) {
            at = yaml.indexOf(needle, at + 1);
            assertThat(at).as("occurrence %d of '%s'", i, needle).isNotNegative();
        }
        return where(source, yaml.substring(0, at) + "\u0000" + yaml.substring(at + 1), "\u0000");
    }

    static String location(Problem p) {
        return p.location().orElse("(no location)");
    }
}
