package io.pgmetrics.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.queries.BuiltinCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The metadata IDEs complete {@code pgmetrics.*} from: generated from {@link PgMetricsProperties} and merged with
 * the collector-name hints of additional-spring-configuration-metadata.json, which must list the built-in catalog.
 */
class ConfigurationMetadataTest {

    private static Map<String, Object> metadata() throws IOException {
        try (InputStream in =
                ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's output").isNotNull();
            return JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @Test
    void everyPropertyIsDescribed() throws IOException {
        Map<String, Object> described = new LinkedHashMap<>();
        for (Map<String, Object> p : list(metadata().get("properties"))) {
            described.put((String) p.get("name"), p.get("description"));
        }

        assertThat(described)
                .containsOnlyKeys(
                        "pgmetrics.enabled",
                        "pgmetrics.profile",
                        "pgmetrics.collectors",
                        "pgmetrics.refresh-interval",
                        "pgmetrics.query-files.pgmetrics",
                        "pgmetrics.query-files.postgres-exporter",
                        "pgmetrics.query-files.cnpg",
                        "pgmetrics.query-files.cnpg-prefix",
                        "pgmetrics.connection.url",
                        "pgmetrics.connection.username",
                        "pgmetrics.connection.password");
        assertThat(described.values()).allSatisfy(d -> assertThat(d).asString().isNotBlank());
    }

    @Test
    void collectorHintsAreTheBuiltinCollectors() throws IOException {
        Catalog builtin = BuiltinCatalog.load();
        Map<String, String> hinted = new LinkedHashMap<>();
        for (Map<String, Object> hint : list(metadata().get("hints"))) {
            if (hint.get("name").equals("pgmetrics.collectors.keys")) {
                for (Map<String, Object> v : list(hint.get("values"))) {
                    hinted.put((String) v.get("value"), (String) v.get("description"));
                }
            }
        }

        assertThat(hinted.keySet()).containsExactlyElementsOf(builtin.collectors());
        for (String collector : builtin.collectors()) {
            boolean on = builtin.queries().stream()
                    .filter(q -> q.collector().equals(collector))
                    .anyMatch(QueryDef::enabledByDefault);
            assertThat(hinted.get(collector)).as(collector).endsWith(on ? "On by default." : "Off by default.");
        }
    }
}
