package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgmetrics.core.testing.ShadedJar;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the agent jar embeds: no command-line parser and no object mapper, and artifacts that stay
 * identifiable (their pom.properties, and an SBOM that lists them) although their classes are relocated.
 */
class ShadedJarIT {

    static final Path JAR = HostApps.agentJar();
    static final Path SBOM = JAR.resolveSibling("pgmetrics-agent.cdx.json");

    @Test
    void leavesOutPicocliAndJacksonDatabind() {
        assertThat(ShadedJar.entries(JAR))
                .anyMatch(e -> e.startsWith("io/pgmetrics/agent/shaded/org/postgresql/"))
                .noneMatch(e -> e.contains("picocli"))
                .noneMatch(e -> e.contains("jackson/databind"))
                .noneMatch(e -> e.contains("checkerframework"));
    }

    @Test
    void namesTheArtifactsItEmbeds() {
        assertThat(ShadedJar.embeddedArtifacts(JAR))
                .anyMatch(a -> a.startsWith("org.postgresql:postgresql:"))
                .anyMatch(a -> a.startsWith("com.fasterxml.jackson.core:jackson-core:"))
                .anyMatch(a -> a.startsWith("org.yaml:snakeyaml:"))
                .noneMatch(a -> a.startsWith("info.picocli:"));
    }

    @Test
    void itsSbomListsEveryEmbeddedArtifact() {
        // the CycloneDX plugin needs Maven online: an offline build has no SBOM to check
        assumeTrue(Files.exists(SBOM), "no " + SBOM + " (built offline)");
        assertThat(ShadedJar.sbomComponents(SBOM)).containsAll(ShadedJar.embeddedArtifacts(JAR))
                .noneMatch(a -> a.startsWith("info.picocli:") || a.contains("jackson-databind"));
    }
}
