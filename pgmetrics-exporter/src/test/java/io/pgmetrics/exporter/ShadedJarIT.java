package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgmetrics.core.testing.ShadedJar;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the runnable jar embeds, and that its SBOM says exactly that. */
class ShadedJarIT {

    static final Path JAR = Path.of(System.getProperty("pgmetrics.exporter.jar", "target/pgmetrics-exporter.jar"));
    static final Path SBOM = JAR.resolveSibling("pgmetrics-exporter.cdx.json");

    @Test
    void holdsTheStreamingYamlParserButNotJacksonsObjectMapper() {
        assertThat(ShadedJar.entries(JAR))
                .anyMatch(e -> e.startsWith("com/fasterxml/jackson/dataformat/yaml/"))
                .anyMatch(e -> e.startsWith("org/yaml/snakeyaml/"))
                .anyMatch(e -> e.startsWith("picocli/"))
                .noneMatch(e -> e.startsWith("com/fasterxml/jackson/databind/"))
                .noneMatch(e -> e.startsWith("org/checkerframework/"));
        assertThat(ShadedJar.embeddedArtifacts(JAR)).anyMatch(a -> a.startsWith("org.postgresql:postgresql:"))
                .noneMatch(a -> a.contains("jackson-databind"));
    }

    @Test
    void itsSbomListsEveryEmbeddedArtifact() {
        // the CycloneDX plugin needs Maven online: an offline build has no SBOM to check
        assumeTrue(Files.exists(SBOM), "no " + SBOM + " (built offline)");
        assertThat(ShadedJar.sbomComponents(SBOM)).containsAll(ShadedJar.embeddedArtifacts(JAR))
                .noneMatch(a -> a.contains("jackson-databind") || a.contains("checker-qual"));
    }
}
