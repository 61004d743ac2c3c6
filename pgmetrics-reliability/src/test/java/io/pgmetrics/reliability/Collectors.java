package io.pgmetrics.reliability;

import io.pgmetrics.queries.BuiltinCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Collector switches that leave only the named built-in collectors on: quick scrapes, many of them. */
final class Collectors {

    private Collectors() {}

    static Map<String, Boolean> only(String... names) {
        Set<String> keep = Set.of(names);
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String c : BuiltinCatalog.load().collectors()) {
            out.put(c, keep.contains(c));
        }
        return out;
    }
}
