package io.pgmetrics.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** README's "Embedding in ten lines" is the core of the embedded-prometheus example, so it compiles and runs. */
class EmbeddingSnippetTest {

    @org.junit.jupiter.api.Test
    void theReadmeSnippetIsTheExamplesCode() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Embedding in ten lines");
        assertThat(section).as("section in examples/README.md").isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> snippet = Arrays.asList(
                readme.substring(start, readme.indexOf("```", start)).split("\n"));

        String source = Files.readString(Path.of("src/main/java/io/pgmetrics/examples/prometheus/PrometheusApp.java"));
        int from = source.indexOf('\n', source.indexOf("// Embedding in ten lines")) + 1;
        int to = source.lastIndexOf('\n', source.indexOf("// end of the ten lines"));
        List<String> code = Arrays.stream(source.substring(from, to).split("\n"))
                .map(l -> l.replaceFirst("^ {8}", ""))
                .toList();

        assertThat(snippet).isEqualTo(code).hasSizeBetween(8, 10);
    }
}
