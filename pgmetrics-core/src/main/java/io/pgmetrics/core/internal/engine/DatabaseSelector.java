package io.pgmetrics.core.internal.engine;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Which databases database-scoped queries run in: names or glob patterns ({@code app_*},
 * {@code tenant_?}) to include (empty: all) and to exclude. Exclusion wins.
 */
public record DatabaseSelector(List<String> include, List<String> exclude) {

    public static final DatabaseSelector ALL = new DatabaseSelector(List.of(), List.of());

    public DatabaseSelector {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean accepts(String database) {
        return (include.isEmpty() || matchesAny(include, database)) && !matchesAny(exclude, database);
    }

    static boolean matchesAny(List<String> patterns, String database) {
        for (String p : patterns) {
            if (p.equals(database) || glob(p).matches(Path.of(database.replace('/', '_')))) {
                return true;
            }
        }
        return false;
    }

    private static PathMatcher glob(String pattern) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (RuntimeException e) {
            return path -> false; // a pattern that is not a valid glob matches its exact name only
        }
    }
}
