package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogValidator;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the model's validation over the queries a loader read, and gives each problem it finds the location
 * of the offending query, column or key, in the file's own key names.
 */
final class CatalogAssembler {

    /**
     * A query as read, with where its parts were written.
     *
     * @param complete false when the loader already reported a problem and left a part out; the query is
     *     still validated (to report its other problems) but never becomes part of a catalog
     */
    record Loaded(QueryDef query, QueryTrace trace, boolean complete) {}

    /** Problems that only say a part is missing: for an incomplete query, the loader has said why. */
    private static final java.util.Set<String> CONSEQUENTIAL_FIELDS = java.util.Set.of("sql", "columns");

    private static final Pattern QUOTED_METRIC = Pattern.compile("metric '([^']+)'");

    private CatalogAssembler() {}

    /**
     * The validated catalog.
     *
     * @param fieldNames turns the validator's field names into the file's key names (identity for our format)
     * @throws io.pgmetrics.core.catalog.CatalogException with the loader's and the validator's problems, in file order
     */
    static Catalog assemble(List<Loaded> loaded, Problems problems, UnaryOperator<Problem> fieldNames) {
        List<QueryDef> queries = loaded.stream().map(Loaded::query).toList();
        List<Problem> all = CatalogValidator.check(queries);
        if (!all.isEmpty()) {
            locate(loaded, all, problems, fieldNames);
        }
        problems.throwIfAny();
        if (loaded.stream().anyMatch(l -> !l.complete())) {
            throw new IllegalStateException("a loader left out part of a query without reporting a problem");
        }
        return new Catalog(queries);
    }

    /** Where each query's definition starts, by name (the first, for a name several queries share). */
    static Map<String, String> locations(List<Loaded> loaded) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        loaded.forEach(l -> out.putIfAbsent(l.query().name(), l.trace().location.toString()));
        return out;
    }

    private static void locate(
            List<Loaded> loaded, List<Problem> all, Problems problems, UnaryOperator<Problem> fieldNames) {
        List<Problem> crossQuery = new ArrayList<>(all);
        List<List<Problem>> own = new ArrayList<>();
        for (Loaded l : loaded) {
            List<Problem> mine = CatalogValidator.check(l.query());
            own.add(mine);
            mine.forEach(crossQuery::remove);
        }
        for (int i = 0; i < loaded.size(); i++) {
            report(loaded.get(i), own.get(i), problems, fieldNames);
        }
        if (crossQuery.isEmpty()) {
            return;
        }
        // A problem between queries is reported by the validator at the later query; find which one by
        // validating ever longer prefixes. Quadratic, but only on a file that is already wrong.
        List<QueryDef> prefix = new ArrayList<>();
        List<Problem> before = List.of();
        for (int i = 0; i < loaded.size(); i++) {
            prefix.add(loaded.get(i).query());
            List<Problem> after = CatalogValidator.check(prefix);
            List<Problem> added = new ArrayList<>(after);
            before.forEach(added::remove);
            own.get(i).forEach(added::remove);
            report(loaded.get(i), added, problems, fieldNames);
            before = after;
        }
    }

    private static void report(
            Loaded loaded, List<Problem> found, Problems problems, UnaryOperator<Problem> fieldNames) {
        Map<String, Integer> repeats = new HashMap<>();
        for (Problem p : found) {
            if (!loaded.complete()
                    && p.column().isEmpty()
                    && p.field().map(CONSEQUENTIAL_FIELDS::contains).orElse(false)) {
                continue;
            }
            problems.error(locate(loaded, p, repeats), fieldNames.apply(p));
        }
    }

    private static Location locate(Loaded loaded, Problem p, Map<String, Integer> repeats) {
        QueryTrace trace = loaded.trace();
        String field = p.field().orElse(null);
        if (p.column().isPresent()) {
            String column = p.column().get();
            int occurrence = 0;
            // the validator reports a repeated column at its later declaration
            for (String repeated : List.of("declared twice", "emitted by two columns")) {
                if (p.message().contains(repeated)) {
                    occurrence = repeats.merge(repeated + column, 1, Integer::sum);
                }
            }
            return trace.column(column, occurrence).map(c -> c.locate(field)).orElse(trace.locate(field));
        }
        Matcher m = QUOTED_METRIC.matcher(p.message());
        if (field == null && m.find()) {
            Optional<QueryTrace.ColumnTrace> emitting =
                    columnEmitting(loaded.query(), m.group(1)).flatMap(c -> trace.column(c.name(), 0));
            if (emitting.isPresent()) {
                return emitting.get().location;
            }
        }
        return trace.locate(field);
    }

    private static Optional<ColumnDef> columnEmitting(QueryDef q, String metric) {
        for (ColumnDef c : q.columns()) {
            for (NamingProfile profile : NamingProfile.values()) {
                if (q.metricName(c, profile).equals(metric)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }
}
