package io.pgmetrics.exporter.scrape;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogException;
import io.pgmetrics.core.catalog.Problem;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.yaml.LoadedQueries;
import io.pgmetrics.exporter.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The custom queries of every file, in load order, with where each was written. In CloudNativePG's format a
 * later file's query replaces the earlier files' queries of the same name, as CloudNativePG merges its query
 * sets; any other clash between files is an error that names both places.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class CustomQueries {

    private static final System.Logger LOG = System.getLogger(CustomQueries.class.getName());
    private static final Pattern OTHER_QUERY = Pattern.compile("query '([^']+)'");

    /** Query name → its definitions (several share a name when their version ranges or roles differ). */
    private final Map<String, List<QueryDef>> byName = new LinkedHashMap<>();
    /** Query name → where each file that defines it does so, in load order. */
    private final Map<String, List<String>> locations = new LinkedHashMap<>();

    private final List<String> cnpgNames = new ArrayList<>();

    void add(QueryDef q, String location) {
        byName.computeIfAbsent(q.name(), k -> new ArrayList<>()).add(q);
        List<String> at = locations.computeIfAbsent(q.name(), k -> new ArrayList<>());
        if (!at.contains(location)) {
            at.add(location);
        }
    }

    /** One CloudNativePG-format file: its queries replace those of the same name from earlier such files. */
    void addCnpg(LoadedQueries file) {
        Map<String, List<QueryDef>> mine = new LinkedHashMap<>();
        file.catalog()
                .queries()
                .forEach(q ->
                        mine.computeIfAbsent(q.name(), k -> new ArrayList<>()).add(q));
        mine.forEach((name, queries) -> {
            String at = file.location(name);
            if (cnpgNames.contains(name)) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "CloudNativePG query " + name + " at " + at + " replaces the one at "
                                + String.join(", ", locations.get(name))
                                + " (the later file wins, as in CloudNativePG)");
                byName.put(name, new ArrayList<>(queries));
                locations.put(name, new ArrayList<>(List.of(at)));
            } else {
                cnpgNames.add(name);
                queries.forEach(q -> add(q, at));
            }
        });
    }

    /**
     * Every custom query, validated together.
     *
     * @throws ConfigException naming the places of the first clash between files
     */
    Catalog catalog() throws ConfigException {
        List<QueryDef> all = new ArrayList<>();
        byName.values().forEach(all::addAll);
        try {
            return new Catalog(all);
        } catch (CatalogException e) {
            Problem p = e.problems().get(0);
            int more = e.problems().size() - 1;
            throw new ConfigException("custom query files clash: " + located(p)
                    + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")"));
        }
    }

    /** The validator reports a clash at the later query; the earlier one is in its message, or of the same name. */
    private String located(Problem p) {
        String query = p.query().orElse("");
        List<String> at = locations.getOrDefault(query, List.of());
        String text = (at.isEmpty() ? "" : at.get(at.size() - 1) + ": ")
                + p.toString().replace('\n', ' ');
        Matcher other = OTHER_QUERY.matcher(p.message());
        if (other.find() && locations.containsKey(other.group(1))) {
            return text + " (query '" + other.group(1) + "' is at " + String.join(", ", locations.get(other.group(1)))
                    + ")";
        }
        return at.size() > 1 ? text + " (also at " + String.join(", ", at.subList(0, at.size() - 1)) + ")" : text;
    }
}
