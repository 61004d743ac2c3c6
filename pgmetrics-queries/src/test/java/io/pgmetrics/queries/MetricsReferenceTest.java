package io.pgmetrics.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.core.catalog.QueryDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/metrics.md is what the catalog renders to, and it lists the whole catalog. */
class MetricsReferenceTest {

    private static final String REGENERATE = "mvn -pl pgmetrics-queries -am test -Dtest=MetricsReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dpgmetrics.docs.write=true";

    @Test
    void committedReferenceIsUpToDate() throws IOException {
        Path file = docsFile();
        String rendered = MetricsReference.render(BuiltinCatalog.load());
        if (Boolean.getBoolean("pgmetrics.docs.write")) {
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
        }
        if (!Files.exists(file)) {
            fail(file + " is missing; generate it with: " + REGENERATE);
        }
        String committed = Files.readString(file, StandardCharsets.UTF_8);
        if (!committed.equals(rendered)) {
            fail(file + " is out of date with the catalog; regenerate it with: " + REGENERATE);
        }
    }

    @Test
    void listsEveryMetricOfBothProfilesAndEveryCollector() {
        Catalog catalog = BuiltinCatalog.load();
        String md = MetricsReference.render(catalog);
        for (QueryDef q : catalog.queries()) {
            assertThat(md).contains("## " + q.collector() + "\n").contains("`" + q.name() + "`");
            for (NamingProfile profile : NamingProfile.values()) {
                for (CatalogMetric m : CatalogMetric.of(q, profile)) {
                    assertThat(md).as("%s (%s)", m.name(), profile).contains("`" + m.name() + "`");
                }
            }
        }
    }

    @Test
    void versionsAreRenderedCompactly() {
        Catalog catalog = BuiltinCatalog.load();
        assertThat(MetricsReference.versions(catalog.queries().stream()
                        .filter(q -> q.name().equals("pg_stat_database"))
                        .toList()))
                .isEqualTo("all");
        assertThat(MetricsReference.versions(catalog.queries().stream()
                        .filter(q -> q.name().equals("pg_stat_wal_writes"))
                        .toList()))
                .isEqualTo("14–17");
        assertThat(MetricsReference.versions(catalog.queries().stream()
                        .filter(q -> q.name().equals("pg_stat_bgwriter_checkpoints"))
                        .toList()))
                .isEqualTo("≤ 16");
        assertThat(MetricsReference.versions(catalog.queries().stream()
                        .filter(q -> q.name().equals("pg_stat_io"))
                        .toList()))
                .isEqualTo("≥ 16");
        assertThat(MetricsReference.versions(catalog.queries().stream()
                        .filter(q -> q.name().equals("pg_xlog_location"))
                        .toList()))
                .startsWith("none of 13–18");
    }

    /** The repository's docs folder, found from the module directory Maven runs tests in. */
    private static Path docsFile() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("docs")) && Files.exists(d.resolve("pgmetrics-queries/pom.xml"))) {
                return d.resolve("docs/metrics.md");
            }
        }
        throw new IllegalStateException("cannot find the repository's docs folder above " + dir);
    }
}
