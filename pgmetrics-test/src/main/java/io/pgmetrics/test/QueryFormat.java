package io.pgmetrics.test;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlTree;
import io.pgmetrics.core.yaml.CatalogYaml;
import io.pgmetrics.core.yaml.CnpgQueriesYaml;
import io.pgmetrics.core.yaml.LegacyQueriesYaml;
import io.pgmetrics.core.yaml.LoadedQueries;
import io.pgmetrics.core.yaml.YamlException;
import java.nio.file.Path;
import java.util.List;

/** The three query-file formats pgmetrics reads (docs/query-authors.md). */
public enum QueryFormat {
    /** pgmetrics' own catalog: {@code queries:} followed by a list. */
    PGMETRICS,
    /** postgres_exporter's {@code --extend.query-path} file. */
    POSTGRES_EXPORTER,
    /** CloudNativePG's custom queries, loaded with CloudNativePG's {@code cnpg_} metric prefix. */
    CLOUDNATIVE_PG;

    /**
     * pgmetrics' format when the file's top level has {@code queries:} holding a list, else postgres_exporter's
     * (CloudNativePG's files look the same as those: name that format yourself). A file that is not YAML is
     * taken as pgmetrics', whose loader then says where it breaks.
     */
    static QueryFormat detect(Path file) {
        try {
            YamlNode root = YamlTree.read(file);
            boolean ours = root instanceof YamlNode.MapNode map
                    && map.get("queries")
                            .filter(q -> q instanceof YamlNode.ListNode)
                            .isPresent();
            return ours ? PGMETRICS : POSTGRES_EXPORTER;
        } catch (YamlException e) {
            return PGMETRICS;
        }
    }

    /** Loads the file; @throws io.pgmetrics.core.catalog.CatalogException listing every problem */
    LoadedQueries load(Path file) {
        return switch (this) {
            case PGMETRICS -> {
                Catalog catalog = CatalogYaml.read(file);
                yield new LoadedQueries(catalog, LegacyQueriesYaml.sha256(file), List.of());
            }
            case POSTGRES_EXPORTER -> LegacyQueriesYaml.read(file);
            case CLOUDNATIVE_PG -> CnpgQueriesYaml.read(file);
        };
    }
}
