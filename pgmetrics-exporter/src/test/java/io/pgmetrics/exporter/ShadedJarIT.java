package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgmetrics.testing.ShadedJar;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the runnable jar embeds, and that the SBOM inside it says exactly that. */
class ShadedJarIT {

    static final Path JAR = Path.of(System.getProperty("pgmetrics.exporter.jar", "target/pgmetrics-exporter.jar"));

    @Test
    void holdsTheStreamingYamlParserButNotJacksonsObjectMapperNorPicocli() {
        assertThat(ShadedJar.entries(JAR))
                .anyMatch(e -> e.startsWith("com/fasterxml/jackson/dataformat/yaml/"))
                .anyMatch(e -> e.startsWith("org/yaml/snakeyaml/"))
                .anyMatch(e -> e.startsWith("org/postgresql/"))
                .noneMatch(e -> e.startsWith("picocli/")) // the command line is parsed by our own CommandLine
                .noneMatch(e -> e.startsWith("com/fasterxml/jackson/databind/"))
                .noneMatch(e -> e.startsWith("org/checkerframework/"));
    }

    @Test
    void itsSbomListsEveryEmbeddedArtifact() {
        Optional<String> sbom = ShadedJar.text(JAR, "META-INF/sbom/pgmetrics-exporter.cdx.json");
        // the CycloneDX plugin needs Maven online: an offline build has no SBOM to check
        assumeTrue(sbom.isPresent(), "no SBOM in " + JAR + " (built offline)");
        assertThat(ShadedJar.sbomComponents(sbom.get()))
                .containsAll(ShadedJar.embeddedArtifacts(JAR))
                // artifacts without pom.properties (Gradle builds) are named by the SBOM only
                .anyMatch(a -> a.startsWith("org.postgresql:postgresql:42."))
                .noneMatch(a -> a.contains("jackson-databind") || a.contains("checker-qual") || a.contains("picocli"));
    }
}
