package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No container engine runs here, so the Containerfile is checked for the facts the manifests rely on. */
class ContainerfileTest {

    /** The instructions, continuation lines joined, comments dropped. */
    static List<String> instructions() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : DeployAssets.read(DeployAssets.path("Containerfile")).split("\n")) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            if (current.length() > 0) {
                out.add(current.toString().strip());
            }
            current.setLength(0);
        }
        return out;
    }

    static String instruction(String keyword) {
        List<String> found =
                instructions().stream().filter(i -> i.startsWith(keyword + " ")).toList();
        assertThat(found).as("one %s instruction", keyword).hasSize(1);
        return found.get(0).substring(keyword.length() + 1).strip();
    }

    /** ENTRYPOINT in exec form, as the Zalando sidecar's command must repeat it. */
    static List<String> entrypoint() {
        try {
            return DeployAssets.JSON.readValue(instruction("ENTRYPOINT"), new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("ENTRYPOINT must be a JSON array (exec form)", e);
        }
    }

    @Test
    void buildsOnAJava17RuntimeAndRunsAsNobody() {
        assertThat(instruction("FROM")).matches("(docker\\.io/(library/)?)?eclipse-temurin:17-jre");
        assertThat(instruction("USER")).isEqualTo("65534:65534");
        assertThat(instruction("EXPOSE")).isEqualTo(String.valueOf(ExporterInterface.PORT));
    }

    @Test
    void runsTheJarItCopies() {
        String[] copy = instruction("COPY").split("\\s+");
        assertThat(copy).as("COPY <jar> <destination>").hasSize(2);
        assertThat(copy[0]).isEqualTo(ExporterInterface.JAR);
        List<String> entrypoint = entrypoint();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).containsSequence("-jar", copy[1]);
        assertThat(entrypoint.get(entrypoint.size() - 1))
                .as("flags follow the image name")
                .isEqualTo(copy[1]);
        assertThat(entrypoint).contains("-XX:-UsePerfData"); // no hsperfdata: a read-only root filesystem works
    }
}
