package io.pgmetrics.core.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** An ordered, validated set of queries. */
public record Catalog(List<QueryDef> queries) {

    public static final Catalog EMPTY = new Catalog(List.of());

    /** @throws CatalogException when the queries break a rule; every problem is listed */
    public Catalog {
        queries = List.copyOf(queries);
        List<Problem> problems = CatalogValidator.check(queries);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
    }

    public static Catalog of(QueryDef... queries) {
        return new Catalog(List.of(queries));
    }

    /** This catalog followed by another's queries, validated together (a metric name emitted twice is an error). */
    public Catalog merge(Catalog other) {
        List<QueryDef> all = new ArrayList<>(queries);
        all.addAll(other.queries);
        return new Catalog(all);
    }

    public Catalog filter(Predicate<QueryDef> keep) {
        return new Catalog(queries.stream().filter(keep).toList());
    }

    /**
     * The queries that run: those enabled by default, plus collectors switched on, minus those switched off.
     */
    public Catalog select(Set<String> enable, Set<String> disable) {
        return filter(
                q -> !disable.contains(q.collector()) && (q.enabledByDefault() || enable.contains(q.collector())));
    }

    public Optional<QueryDef> query(String name) {
        return queries.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /** The collector names, in catalog order, without repeats. */
    public List<String> collectors() {
        return queries.stream().map(QueryDef::collector).distinct().toList();
    }
}
