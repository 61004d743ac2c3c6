package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgmetrics.testing.ShadedJar;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the agent jar embeds: no command-line parser and no object mapper, and artifacts that stay
 * identifiable (their pom.properties, and an SBOM inside the jar that lists them) although their
 * classes are relocated.
 */
class ShadedJarIT {

    static final Path JAR = HostApps.agentJar();

    @Test
    void leavesOutPicocliAndJacksonDatabind() {
        assertThat(ShadedJar.entries(JAR))
                .anyMatch(e -> e.startsWith("io/pgmetrics/agent/shaded/org/postgresql/"))
                .noneMatch(e -> e.contains("picocli"))
                .noneMatch(e -> e.contains("jackson/databind"))
                .noneMatch(e -> e.contains("checkerframework"))
                .doesNotContain("META-INF/sbom/pgmetrics-exporter.cdx.json");
    }

    @Test
    void namesTheArtifactsItEmbeds() {
        assertThat(ShadedJar.embeddedArtifacts(JAR))
                .anyMatch(a -> a.startsWith("com.fasterxml.jackson.core:jackson-core:"))
                .anyMatch(a -> a.startsWith("org.yaml:snakeyaml:"))
                .anyMatch(a -> a.startsWith("io.prometheus:prometheus-metrics-model:"))
                .noneMatch(a -> a.startsWith("info.picocli:"));
    }

    @Test
    void itsSbomListsEveryEmbeddedArtifact() {
        Optional<String> sbom = ShadedJar.text(JAR, "META-INF/sbom/pgmetrics-agent.cdx.json");
        // the CycloneDX plugin needs Maven online: an offline build has no SBOM to check
        assumeTrue(sbom.isPresent(), "no SBOM in " + JAR + " (built offline)");
        assertThat(ShadedJar.sbomComponents(sbom.get()))
                .containsAll(ShadedJar.embeddedArtifacts(JAR))
                // pgjdbc has no pom.properties: the SBOM is what names it
                .anyMatch(a -> a.startsWith("org.postgresql:postgresql:42."))
                .noneMatch(a -> a.startsWith("info.picocli:") || a.contains("jackson-databind"));
    }
}
